export { loadWeightsFile, saveWeightsFile } from './node/weights-file.js';
