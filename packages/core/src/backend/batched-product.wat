;; Batched float32 matrix product on the wasm backend's own memory, for the many small products of
;; attention. Written by hand in WebAssembly text with 128-bit SIMD; scripts/build-wasm.mjs compiles it
;; into batched-product-module.ts. Each output element is accumulated as 0 + a0*b0 + a1*b1 + ... in k
;; order with float32 rounding after every multiply and every add, the order of both kernels it stands
;; in for (XNNPACK's and tfjs' plain loop for inner sides up to 48), so the results are the same bits.
(module
  (import "env" "memory" (memory 0))
  ;; out[m] = a[m] · b[m] for m < batch; a [rows, inner], b [inner, columns], out [rows, columns], all
  ;; row-major float32 at byte addresses; aStride and bStride are the elements from one matrix to the
  ;; next (aStride 0 repeats one a). Columns go eight at a time, then four, then one by one.
  (func (export "batchedProduct")
    (param $a i32) (param $b i32) (param $out i32)
    (param $batch i32) (param $rows i32) (param $inner i32) (param $columns i32)
    (param $aStride i32) (param $bStride i32)
    (local $m i32) (local $i i32) (local $j i32) (local $k i32)
    (local $aRow i32) (local $bMatrix i32) (local $bp i32) (local $o i32) (local $rowBytes i32)
    (local $acc0 v128) (local $acc1 v128) (local $av v128) (local $s f32)
    (local.set $rowBytes (i32.shl (local.get $columns) (i32.const 2)))
    (local.set $o (local.get $out))
    (block $batchDone (loop $batchLoop
      (br_if $batchDone (i32.ge_u (local.get $m) (local.get $batch)))
      (local.set $bMatrix (i32.add (local.get $b) (i32.shl (i32.mul (local.get $m) (local.get $bStride)) (i32.const 2))))
      (local.set $i (i32.const 0))
      (block $rowsDone (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $aRow (i32.add (local.get $a)
          (i32.shl (i32.add (i32.mul (local.get $m) (local.get $aStride)) (i32.mul (local.get $i) (local.get $inner))) (i32.const 2))))
        (local.set $j (i32.const 0))
        ;; eight columns at a time
        (block $eightDone (loop $eightLoop
          (br_if $eightDone (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $columns)))
          (local.set $acc0 (v128.const i32x4 0 0 0 0))
          (local.set $acc1 (v128.const i32x4 0 0 0 0))
          (local.set $bp (i32.add (local.get $bMatrix) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $k (i32.const 0))
          (block $kDone (loop $kLoop
            (br_if $kDone (i32.ge_u (local.get $k) (local.get $inner)))
            (local.set $av (f32x4.splat (f32.load (i32.add (local.get $aRow) (i32.shl (local.get $k) (i32.const 2))))))
            (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $av) (v128.load (local.get $bp)))))
            (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $av) (v128.load offset=16 (local.get $bp)))))
            (local.set $bp (i32.add (local.get $bp) (local.get $rowBytes)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $kLoop)))
          (v128.store (local.get $o) (local.get $acc0))
          (v128.store offset=16 (local.get $o) (local.get $acc1))
          (local.set $o (i32.add (local.get $o) (i32.const 32)))
          (local.set $j (i32.add (local.get $j) (i32.const 8)))
          (br $eightLoop)))
        ;; four columns
        (if (i32.le_u (i32.add (local.get $j) (i32.const 4)) (local.get $columns)) (then
          (local.set $acc0 (v128.const i32x4 0 0 0 0))
          (local.set $bp (i32.add (local.get $bMatrix) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $k (i32.const 0))
          (block $kDone4 (loop $kLoop4
            (br_if $kDone4 (i32.ge_u (local.get $k) (local.get $inner)))
            (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul
              (f32x4.splat (f32.load (i32.add (local.get $aRow) (i32.shl (local.get $k) (i32.const 2)))))
              (v128.load (local.get $bp)))))
            (local.set $bp (i32.add (local.get $bp) (local.get $rowBytes)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $kLoop4)))
          (v128.store (local.get $o) (local.get $acc0))
          (local.set $o (i32.add (local.get $o) (i32.const 16)))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))))
        ;; single columns
        (block $oneDone (loop $oneLoop
          (br_if $oneDone (i32.ge_u (local.get $j) (local.get $columns)))
          (local.set $s (f32.const 0))
          (local.set $bp (i32.add (local.get $bMatrix) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $k (i32.const 0))
          (block $kDone1 (loop $kLoop1
            (br_if $kDone1 (i32.ge_u (local.get $k) (local.get $inner)))
            (local.set $s (f32.add (local.get $s) (f32.mul
              (f32.load (i32.add (local.get $aRow) (i32.shl (local.get $k) (i32.const 2))))
              (f32.load (local.get $bp)))))
            (local.set $bp (i32.add (local.get $bp) (local.get $rowBytes)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $kLoop1)))
          (f32.store (local.get $o) (local.get $s))
          (local.set $o (i32.add (local.get $o) (i32.const 4)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $oneLoop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rowLoop)))
      (local.set $m (i32.add (local.get $m) (i32.const 1)))
      (br $batchLoop)))))
