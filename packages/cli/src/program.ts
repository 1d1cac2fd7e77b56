/** The `affectzoo` command tree (commander). Each command lives in `commands/`. */
import { Command, Option } from 'commander';
import { PLUGIN_KINDS } from '@affectzoo/core';
import { runEvaluate } from './commands/evaluate.js';
import { runInspect } from './commands/inspect.js';
import { runConfigCheck, runPlugins, runSchema } from './commands/plugins.js';

export function createProgram(): Command {
  const program = new Command('affectzoo')
    .description('Multi-task facial behaviour analysis: 12 action units, 8 expressions, valence/arousal (ABAW).')
    .showHelpAfterError();

  program.command('evaluate')
    .description('Score an ABAW predictions file against an annotation file with the official multi-task metric.')
    .requiredOption('--labels <file>', 'annotation file (s-Aff-Wild2 multi-task format)')
    .requiredOption('--predictions <file>', 'predictions in the ABAW submission format (same header)')
    .option('--json', 'print the scores as JSON')
    .action(runEvaluate);

  program.command('inspect')
    .description('Read annotation files and print per-task label counts and AU positive rates.')
    .argument('<files...>', 'annotation files')
    .option('--json', 'print one JSON object per file')
    .action(runInspect);

  program.command('plugins')
    .description('List the registered backbones, heads, optimizers, backends, datasets, losses and detectors.')
    .option('--config <file>', 'also load the plugins this config lists')
    .addOption(new Option('--kind <kind>', 'only this kind').choices([...PLUGIN_KINDS]))
    .action(runPlugins);

  program.command('check-config')
    .description('Validate a config file, including every component\'s options.')
    .argument('<file>', 'config file (YAML or JSON)')
    .action(runConfigCheck);

  program.command('schema')
    .description('Print the JSON Schema of the config file.')
    .action(runSchema);

  return program;
}
