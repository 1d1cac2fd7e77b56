/** @affectzoo/cli as a library: the command tree and the commands' functions, for scripting and tests. */
export { createProgram } from './program.js';
export { buildRegistry, BUILTIN_PLUGINS } from './registry.js';
export { evaluateFiles, formatScores, evaluateCheckpoint, calibrateCheckpoint, subjectOf, CALIBRATION_GRID, type CalibrationResult } from './commands/evaluate.js';
export { runTrain, configData, formatTrainResult } from './commands/train.js';
export { runPredictFeatures, toSubmission } from './commands/predict-features.js';
export { formatStats } from './commands/inspect.js';
export { runExtract, applyExtractFlags, type ExtractOptions } from './commands/extract.js';
export { runExtraction, type ExtractionJob, type ExtractionResult } from './extract/run-extraction.js';
export { runPredict, type PredictOptions, type PredictSummary } from './commands/predict.js';
export { loadFaceAnalyzer, faceAnalyzer, type LoadedAnalyzer } from './predict/analyzer.js';
