/** The `affectzoo` command tree (commander). Each command lives in `commands/`. */
import { Command, Option } from 'commander';
import { PLUGIN_KINDS } from '@affectzoo/core';
import { runEvaluate } from './commands/evaluate.js';
import { runTrain } from './commands/train.js';
import { runPredictFeatures } from './commands/predict-features.js';
import { runExtract, type ExtractOptions } from './commands/extract.js';
import { runInspect } from './commands/inspect.js';
import { runPredict, type PredictOptions } from './commands/predict.js';
import { runConfigCheck, runPlugins, runSchema } from './commands/plugins.js';

export function createProgram(): Command {
  const program = new Command('affectzoo')
    .description('Multi-task facial behaviour analysis: 12 action units, 8 expressions, valence/arousal (ABAW).')
    .showHelpAfterError();

  program.command('evaluate')
    .description('Score an ABAW predictions file against an annotation file with the official multi-task metric.')
    .option('--labels <file>', 'annotation file (s-Aff-Wild2 multi-task format)')
    .option('--predictions <file>', 'predictions in the ABAW submission format (same header)')
    .option('--config <file>', 'with --checkpoint: score a trained model on the config\'s validation files')
    .option('--checkpoint <dir>', 'a training output folder (model.azw)')
    .option('--json', 'print the scores as JSON')
    .action(runEvaluate);

  program.command('extract')
    .description('Extract backbone features of an annotation file\'s images into <out>/features.npy + index.csv (resumable).')
    .option('--config <file>', 'config file; the flags below override it')
    .option('--data <file>', 'annotation file (default: the config\'s first data.train file)')
    .option('--out <dir>', 'output folder (default: <data.features>/<annotation file name>)')
    .option('--backbone <name>', 'backbone, e.g. faceres, onnx, tfjs-graph, hsemotion-enet-b0-8-best-vgaf')
    .option('--backend <name>', 'backend: wasm, cpu, tensorflow or onnx')
    .option('--model <path>', 'the backbone\'s model file (its `model` option)')
    .addOption(new Option('--device <device>', 'ONNX Runtime execution provider').choices(['cpu', 'cuda']))
    .option('--batch-size <n>', 'images per batch')
    .option('--augment-copies <n>', 'augmented copies per image (seeded)')
    .option('--seed <n>', 'augmentation seed')
    .addOption(new Option('--on-bad-image <policy>', 'missing or corrupt image').choices(['stop', 'skip']))
    .option('--no-progress', 'no progress bar')
    .action(async (o: ExtractOptions) => {
      await runExtract(o);
    });

  program.command('train')
    .description('Train the config\'s heads on cached features (progress bar, checkpoints, --resume).')
    .requiredOption('--config <file>', 'config file (YAML or JSON)')
    .option('--resume', 'continue from <out>/resume.azw when it exists')
    .option('--out <dir>', 'output folder (default: train.out of the config)')
    .option('--quiet', 'no progress bar')
    .option('--json', 'print the result as JSON')
    .action(runTrain);

  program.command('predict-features')
    .description('Run trained heads on a feature folder and write the ABAW submission file.')
    .requiredOption('--checkpoint <dir>', 'a training output folder (model.azw)')
    .requiredOption('--features <dir>', 'a feature folder (features.npy, index.csv, meta.json)')
    .requiredOption('--out <file>', 'predictions file to write')
    .option('--backend <name>', 'TF.js backend: wasm, cpu or tensorflow', 'wasm')
    .action(runPredictFeatures);

  program.command('predict')
    .description('Faces in images, folders, globs and videos to per-frame AUs, expressions and valence/arousal (CSV or JSON lines).')
    .argument('<inputs...>', 'image files, folders, glob patterns (quote them) or video files')
    .requiredOption('--out <file>', 'output file: .csv, or .jsonl for JSON lines')
    .option('--config <file>', 'config the model was trained with (default: <checkpoint>/config.yaml)')
    .option('--checkpoint <dir>', 'a model trained with `affectzoo train`')
    .option('--backend <name>', 'run the backbone on this backend (onnx, wasm, cpu, tensorflow) instead of the config\'s')
    .option('--aligned', 'inputs are already cropped, aligned faces: skip detection')
    .addOption(new Option('--detector <name>', 'face detector; auto: YuNet when its model is cached, else BlazeFace (bundled, no download)').choices(['auto', 'yunet', 'blazeface']).default('auto'))
    .option('--every <n>', 'videos: analyse every n-th frame', '1')
    .option('--start <seconds>', 'videos: start time')
    .option('--end <seconds>', 'videos: end time')
    .option('--smooth <sigma>', 'videos: Gaussian smoothing of each face\'s predictions over time, sigma in frames (0: none)', '0')
    .option('--annotate <dir>', 'write annotated images / videos (boxes and predictions drawn) into this folder')
    .option('--batch-size <n>', 'faces per model batch', '32')
    .option('--max-side <px>', 'decode images and video frames at most this large (longest side)', '1280')
    .addOption(new Option('--align <method>', 'face alignment').choices(['landmarks', 'box']).default('landmarks'))
    .option('--margin <fraction>', 'extra context around each aligned face', '0')
    .option('--no-progress', 'no progress bar')
    .action(async (inputs: string[], o: PredictOptions) => {
      await runPredict(inputs, o);
    });

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
