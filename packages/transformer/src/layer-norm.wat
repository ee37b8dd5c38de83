;; LayerNorm over the last axis and its gradient, on the wasm backend's own memory. Written by hand in
;; WebAssembly text; the repository's scripts/build-wasm.mjs compiles it into layer-norm-module.ts.
;; The arithmetic is the JavaScript kernels' of layer-norm.ts, operation for operation: float64 from
;; float32 inputs, sums in the same order, one rounding to float32 at each store. So the results are
;; the same bits, in half the time of the JavaScript loops (measured on a width-48 Transformer step).
;; Running four rows' sums at once (four addition chains in flight) made the forward pass ~25%
;; faster but not the gradient, whose loops are bound by their number of operations; not worth the
;; fourfold code.
(module
  (import "env" "memory" (memory 0))

  ;; y = (x − mean)·r·weight + bias with r = 1/√(variance + ε) for each row of x [rows, width]; stats
  ;; [rows, 2] gets (mean, r). Addresses in bytes, float32 data.
  (func (export "layerNorm")
    (param $x i32) (param $weight i32) (param $bias i32) (param $y i32) (param $stats i32)
    (param $rows i32) (param $width i32) (param $epsilon f64)
    (local $row i32) (local $p i32) (local $end i32) (local $column i32)
    (local $sum f64) (local $mean f64) (local $squares f64) (local $centered f64) (local $inverse f64)
    (local $count f64)
    (local.set $count (f64.convert_i32_u (local.get $width)))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $rows)))
      (local.set $end (i32.add (local.get $x) (i32.shl (local.get $width) (i32.const 2))))
      ;; the mean
      (local.set $sum (f64.const 0))
      (local.set $p (local.get $x))
      (block $sumDone (loop $sumLoop
        (br_if $sumDone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $sum (f64.add (local.get $sum) (f64.promote_f32 (f32.load (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $sumLoop)))
      (local.set $mean (f64.div (local.get $sum) (local.get $count)))
      ;; the biased variance, then r
      (local.set $squares (f64.const 0))
      (local.set $p (local.get $x))
      (block $squaresDone (loop $squaresLoop
        (br_if $squaresDone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $centered (f64.sub (f64.promote_f32 (f32.load (local.get $p))) (local.get $mean)))
        (local.set $squares (f64.add (local.get $squares) (f64.mul (local.get $centered) (local.get $centered))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $squaresLoop)))
      (local.set $inverse (f64.div (f64.const 1)
        (f64.sqrt (f64.add (f64.div (local.get $squares) (local.get $count)) (local.get $epsilon)))))
      ;; y, one rounding per element
      (local.set $p (local.get $x))
      (local.set $column (i32.const 0))
      (block $outDone (loop $outLoop
        (br_if $outDone (i32.ge_u (local.get $p) (local.get $end)))
        (f32.store (local.get $y) (f32.demote_f64 (f64.add
          (f64.mul
            (f64.mul (f64.sub (f64.promote_f32 (f32.load (local.get $p))) (local.get $mean)) (local.get $inverse))
            (f64.promote_f32 (f32.load (i32.add (local.get $weight) (local.get $column)))))
          (f64.promote_f32 (f32.load (i32.add (local.get $bias) (local.get $column)))))))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $column (i32.add (local.get $column) (i32.const 4)))
        (br $outLoop)))
      (f32.store (local.get $stats) (f32.demote_f64 (local.get $mean)))
      (f32.store offset=4 (local.get $stats) (f32.demote_f64 (local.get $inverse)))
      (local.set $stats (i32.add (local.get $stats) (i32.const 8)))
      (local.set $x (local.get $end))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $rowLoop))))

  ;; The gradient, given dy and x [rows, width], weight [width] and stats [rows, 2] from the forward
  ;; pass. With x̂ = (x − mean)·r and g = dy·weight: dx = r·(g − mean(g) − x̂·mean(g·x̂)) row by row,
  ;; then dweight = Σ_rows dy·x̂ and dbias = Σ_rows dy column by column (each column's sum still runs
  ;; over the rows in order, as in the JavaScript kernel, which keeps one running sum per column).
  (func (export "layerNormGradient")
    (param $dy i32) (param $x i32) (param $weight i32) (param $stats i32)
    (param $dx i32) (param $dWeight i32) (param $dBias i32)
    (param $rows i32) (param $width i32)
    (local $row i32) (local $column i32) (local $offset i32) (local $rowBytes i32) (local $end i32)
    (local $mean f64) (local $inverse f64) (local $upstream f64) (local $normalized f64) (local $scaled f64)
    (local $gradientSum f64) (local $projection f64) (local $count f64)
    (local $weightSum f64) (local $biasSum f64)
    (local.set $count (f64.convert_i32_u (local.get $width)))
    (local.set $rowBytes (i32.shl (local.get $width) (i32.const 2)))
    ;; dx, row by row; $offset walks the row's bytes
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $rows)))
      (local.set $mean (f64.promote_f32 (f32.load (local.get $stats))))
      (local.set $inverse (f64.promote_f32 (f32.load offset=4 (local.get $stats))))
      (local.set $gradientSum (f64.const 0))
      (local.set $projection (f64.const 0))
      (local.set $end (i32.add (local.get $offset) (local.get $rowBytes)))
      (local.set $column (i32.const 0))
      (block $sumsDone (loop $sumsLoop
        (br_if $sumsDone (i32.ge_u (local.get $column) (local.get $rowBytes)))
        (local.set $upstream (f64.promote_f32 (f32.load (i32.add (local.get $dy) (i32.add (local.get $offset) (local.get $column))))))
        (local.set $normalized (f64.mul
          (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.add (local.get $offset) (local.get $column))))) (local.get $mean))
          (local.get $inverse)))
        (local.set $scaled (f64.mul (local.get $upstream) (f64.promote_f32 (f32.load (i32.add (local.get $weight) (local.get $column))))))
        (local.set $gradientSum (f64.add (local.get $gradientSum) (local.get $scaled)))
        (local.set $projection (f64.add (local.get $projection) (f64.mul (local.get $scaled) (local.get $normalized))))
        (local.set $column (i32.add (local.get $column) (i32.const 4)))
        (br $sumsLoop)))
      (local.set $gradientSum (f64.div (local.get $gradientSum) (local.get $count)))
      (local.set $projection (f64.div (local.get $projection) (local.get $count)))
      (local.set $column (i32.const 0))
      (block $dxDone (loop $dxLoop
        (br_if $dxDone (i32.ge_u (local.get $column) (local.get $rowBytes)))
        (local.set $normalized (f64.mul
          (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.add (local.get $offset) (local.get $column))))) (local.get $mean))
          (local.get $inverse)))
        (local.set $scaled (f64.mul
          (f64.promote_f32 (f32.load (i32.add (local.get $dy) (i32.add (local.get $offset) (local.get $column)))))
          (f64.promote_f32 (f32.load (i32.add (local.get $weight) (local.get $column))))))
        (f32.store (i32.add (local.get $dx) (i32.add (local.get $offset) (local.get $column)))
          (f32.demote_f64 (f64.mul (local.get $inverse)
            (f64.sub (f64.sub (local.get $scaled) (local.get $gradientSum))
                     (f64.mul (local.get $normalized) (local.get $projection))))))
        (local.set $column (i32.add (local.get $column) (i32.const 4)))
        (br $dxLoop)))
      (local.set $stats (i32.add (local.get $stats) (i32.const 8)))
      (local.set $offset (local.get $end))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $rowLoop)))
    ;; dweight and dbias, column by column; $stats is rewound to the first row
    (local.set $stats (i32.sub (local.get $stats) (i32.shl (local.get $rows) (i32.const 3))))
    (local.set $end (i32.mul (local.get $rows) (local.get $rowBytes)))
    (local.set $column (i32.const 0))
    (block $columnsDone (loop $columnLoop
      (br_if $columnsDone (i32.ge_u (local.get $column) (local.get $rowBytes)))
      (local.set $weightSum (f64.const 0))
      (local.set $biasSum (f64.const 0))
      (local.set $offset (local.get $column))
      (local.set $row (local.get $stats))
      (block $downDone (loop $downLoop
        (br_if $downDone (i32.ge_u (local.get $offset) (local.get $end)))
        (local.set $upstream (f64.promote_f32 (f32.load (i32.add (local.get $dy) (local.get $offset)))))
        (local.set $normalized (f64.mul
          (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $x) (local.get $offset))))
                   (f64.promote_f32 (f32.load (local.get $row))))
          (f64.promote_f32 (f32.load offset=4 (local.get $row)))))
        (local.set $weightSum (f64.add (local.get $weightSum) (f64.mul (local.get $upstream) (local.get $normalized))))
        (local.set $biasSum (f64.add (local.get $biasSum) (local.get $upstream)))
        (local.set $offset (i32.add (local.get $offset) (local.get $rowBytes)))
        (local.set $row (i32.add (local.get $row) (i32.const 8)))
        (br $downLoop)))
      (f32.store (i32.add (local.get $dWeight) (local.get $column)) (f32.demote_f64 (local.get $weightSum)))
      (f32.store (i32.add (local.get $dBias) (local.get $column)) (f32.demote_f64 (local.get $biasSum)))
      (local.set $column (i32.add (local.get $column) (i32.const 4)))
      (br $columnLoop)))))
