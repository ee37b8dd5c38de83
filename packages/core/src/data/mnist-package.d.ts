// The `mnist` package ships no types; this declares the documented part that `loadMnist` reads.
declare module 'mnist' {
  /** One entry per digit 0-9; `raw` holds all of that digit's images, 784 floats each, concatenated. */
  const digits: ReadonlyArray<{ readonly raw: readonly number[] }>;
  export default digits;
}
