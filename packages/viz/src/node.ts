export {
  type CjkFont,
  type CjkFontCandidate,
  defaultCjkFontCandidates,
  findCjkFont,
} from './node/cjk-font.js';
export { type RenderPngOptions, renderPng } from './node/render-png.js';
