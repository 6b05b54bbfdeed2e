;; The renderer's loops over pixels, in WebAssembly: the PNG encoder's passes
;; (palette, opacity, filtering, demultiplying; png.ts), a card drawn over
;; a plain colour or a smooth background from a smaller raster
;; (backgrounds.ts) and a photo scaled as resvg scales it (photos.ts).
;;
;; In JavaScript these loops ran interpreted on an isolate's first card, until
;; V8 compiled them: ~130 ms of the first request went on four passes over
;; 756,000 pixels, and ~10 ms on every card after. Compiled by
;; scripts/wasm.mjs (wabt) to generated/pixels.wasm; pixels.ts copies images
;; in and out in bands of rows, so the memory stays a few MB for any canvas.
;;
;; Pixels are RGBA, one little-endian i32 each (R in the low byte).
(module
  (memory (export "memory") 1)

  ;; The palette's hash table: 1024 slots of (colour, index), index -1 when
  ;; empty, and the colours in the order first seen. png.ts reads COLOURS.
  (global $KEYS i32 (i32.const 0))
  (global $SLOTS i32 (i32.const 4096))
  (global $COLOURS i32 (i32.const 8192))
  (global $count (mut i32) (i32.const 0))

  ;; An empty palette.
  (func (export "reset")
    (memory.fill (global.get $SLOTS) (i32.const 0xff) (i32.const 4096))
    (global.set $count (i32.const 0)))

  ;; `rows` rows of `width` pixels at `in` as palette indices at `out`, each
  ;; row led by its filter byte (0, None). The palette carries over from the
  ;; previous call (bands of one image). Returns the colours so far, or -1
  ;; past 256. A run of one colour is found by comparing words, looked up
  ;; once and written with memory.fill when long.
  (func (export "palette") (param $in i32) (param $width i32) (param $rows i32) (param $out i32) (result i32)
    (local $end i32) (local $rowEnd i32) (local $w i32) (local $j i32) (local $n i32)
    (local $slot i32) (local $s i32)
    (local.set $end (i32.add (local.get $in) (i32.shl (i32.mul (local.get $width) (local.get $rows)) (i32.const 2))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $in) (local.get $end)))
        (i32.store8 (local.get $out) (i32.const 0))
        (local.set $out (i32.add (local.get $out) (i32.const 1)))
        (local.set $rowEnd (i32.add (local.get $in) (i32.shl (local.get $width) (i32.const 2))))
        (block $rowDone
          (loop $run
            (br_if $rowDone (i32.ge_u (local.get $in) (local.get $rowEnd)))
            (local.set $w (i32.load (local.get $in)))
            ;; The run: j past its last pixel.
            (local.set $j (i32.add (local.get $in) (i32.const 4)))
            (block $runEnd
              (loop $same
                (br_if $runEnd (i32.ge_u (local.get $j) (local.get $rowEnd)))
                (br_if $runEnd (i32.ne (i32.load (local.get $j)) (local.get $w)))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $same)))
            ;; Fibonacci hashing to 10 bits, probing linearly.
            (local.set $slot (i32.shr_u (i32.mul (local.get $w) (i32.const 0x9e3779b1)) (i32.const 22)))
            (block $found
              (loop $probe
                (local.set $s (i32.load (i32.add (global.get $SLOTS) (i32.shl (local.get $slot) (i32.const 2)))))
                (if (i32.lt_s (local.get $s) (i32.const 0))
                  (then
                    (if (i32.ge_u (global.get $count) (i32.const 256)) (then (return (i32.const -1))))
                    (i32.store (i32.add (global.get $KEYS) (i32.shl (local.get $slot) (i32.const 2))) (local.get $w))
                    (i32.store (i32.add (global.get $SLOTS) (i32.shl (local.get $slot) (i32.const 2))) (global.get $count))
                    (i32.store (i32.add (global.get $COLOURS) (i32.shl (global.get $count) (i32.const 2))) (local.get $w))
                    (local.set $s (global.get $count))
                    (global.set $count (i32.add (global.get $count) (i32.const 1)))
                    (br $found)))
                (br_if $found (i32.eq (i32.load (i32.add (global.get $KEYS) (i32.shl (local.get $slot) (i32.const 2)))) (local.get $w)))
                (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (i32.const 1023)))
                (br $probe)))
            (local.set $n (i32.shr_u (i32.sub (local.get $j) (local.get $in)) (i32.const 2)))
            (if (i32.ge_u (local.get $n) (i32.const 16))
              (then (memory.fill (local.get $out) (local.get $s) (local.get $n)))
              (else
                ;; Short runs (anti-aliased edges): byte stores cost less than the call.
                (local.set $j (i32.add (local.get $out) (local.get $n)))
                (block $filled
                  (loop $fill
                    (br_if $filled (i32.ge_u (local.get $out) (local.get $j)))
                    (i32.store8 (local.get $out) (local.get $s))
                    (local.set $out (i32.add (local.get $out) (i32.const 1)))
                    (br $fill)))
                (local.set $out (i32.sub (local.get $out) (local.get $n)))))
            (local.set $out (i32.add (local.get $out) (local.get $n)))
            (local.set $in (i32.add (local.get $in) (i32.shl (local.get $n) (i32.const 2))))
            (br $run)))
        (br $row)))
    (global.get $count))

  ;; 1 when all `n` pixels at `in` are opaque, else 0.
  (func (export "opaque") (param $in i32) (param $n i32) (result i32)
    (local $end i32) (local $all i32)
    (local.set $end (i32.add (local.get $in) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $all (i32.const -1))
    (block $done
      (loop $pixel
        (br_if $done (i32.ge_u (local.get $in) (local.get $end)))
        (local.set $all (i32.and (local.get $all) (i32.load (local.get $in))))
        (local.set $in (i32.add (local.get $in) (i32.const 4)))
        (br $pixel)))
    (i32.eq (i32.shr_u (local.get $all) (i32.const 24)) (i32.const 255)))

  ;; Scanlines of `rows` rows of `width` pixels at `in`: each row led by
  ;; `filter` (0 None, 2 Up: each byte less the one above it, the row above
  ;; the first being at `above`), then `channels` bytes a pixel (3 drops
  ;; alpha). Writes up to one byte past the last scanline.
  (func (export "pack") (param $in i32) (param $above i32) (param $width i32) (param $rows i32)
        (param $channels i32) (param $filter i32) (param $out i32)
    (local $end i32) (local $rowEnd i32) (local $a i32) (local $b i32)
    (local.set $end (i32.add (local.get $in) (i32.shl (i32.mul (local.get $width) (local.get $rows)) (i32.const 2))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $in) (local.get $end)))
        (i32.store8 (local.get $out) (local.get $filter))
        (local.set $out (i32.add (local.get $out) (i32.const 1)))
        (local.set $rowEnd (i32.add (local.get $in) (i32.shl (local.get $width) (i32.const 2))))
        (block $rowDone
          (loop $pixel
            (br_if $rowDone (i32.ge_u (local.get $in) (local.get $rowEnd)))
            (local.set $a (i32.load (local.get $in)))
            (if (i32.eq (local.get $filter) (i32.const 2))
              (then
                ;; Byte-wise a - b (mod 256) of four bytes at once, no borrow between them.
                (local.set $b (i32.load (local.get $above)))
                (local.set $a
                  (i32.xor
                    (i32.sub (i32.or (local.get $a) (i32.const 0x80808080)) (i32.and (local.get $b) (i32.const 0x7f7f7f7f)))
                    (i32.and (i32.xor (local.get $a) (i32.xor (local.get $b) (i32.const -1))) (i32.const 0x80808080))))))
            (i32.store (local.get $out) (local.get $a))
            (local.set $out (i32.add (local.get $out) (local.get $channels)))
            (local.set $in (i32.add (local.get $in) (i32.const 4)))
            (local.set $above (i32.add (local.get $above) (i32.const 4)))
            (br $pixel)))
        (br $row))))

  ;; tiny-skia's demultiply of one channel: c / (a / 255) + 0.5, truncated, saturating.
  (func $straight (param $c i32) (param $a i32) (result i32)
    (local $v i32)
    (if (i32.eqz (local.get $a)) (then (return (local.get $c))))
    (local.set $v
      (i32.trunc_f64_u
        (f64.add
          (f64.div (f64.convert_i32_u (local.get $c)) (f64.div (f64.convert_i32_u (local.get $a)) (f64.const 255)))
          (f64.const 0.5))))
    (select (i32.const 255) (local.get $v) (i32.gt_u (local.get $v) (i32.const 255))))

  ;; `n` premultiplied pixels at `in` as straight alpha at `out` (may be `in`).
  (func (export "demultiply") (param $in i32) (param $n i32) (param $out i32)
    (local $end i32) (local $w i32) (local $a i32)
    (local.set $end (i32.add (local.get $in) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $pixel
        (br_if $done (i32.ge_u (local.get $in) (local.get $end)))
        (local.set $w (i32.load (local.get $in)))
        (local.set $a (i32.shr_u (local.get $w) (i32.const 24)))
        (if (i32.ne (local.get $a) (i32.const 255))
          (then
            (local.set $w
              (i32.or
                (i32.or
                  (call $straight (i32.and (local.get $w) (i32.const 0xff)) (local.get $a))
                  (i32.shl (call $straight (i32.and (i32.shr_u (local.get $w) (i32.const 8)) (i32.const 0xff)) (local.get $a)) (i32.const 8)))
                (i32.or
                  (i32.shl (call $straight (i32.and (i32.shr_u (local.get $w) (i32.const 16)) (i32.const 0xff)) (local.get $a)) (i32.const 16))
                  (i32.shl (local.get $a) (i32.const 24)))))))
        (i32.store (local.get $out) (local.get $w))
        (local.set $in (i32.add (local.get $in) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $pixel))))

  ;; `n` premultiplied pixels at `px` (n a multiple of 4), in place, over
  ;; the opaque colour `rgba` (alpha 255): source-over rounded as tiny-skia,
  ;; s + (c * (255 - sa) + 255 >> 8), four pixels at a time. A card drawn
  ;; over a plain background colour (backgrounds.ts).
  (func (export "over") (param $px i32) (param $n i32) (param $rgba i32)
    (local $end i32) (local $c v128) (local $v v128) (local $inv v128) (local $a v128) (local $solid v128)
    (local.set $end (i32.add (local.get $px) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $solid (i32x4.splat (local.get $rgba)))
    (local.set $c (i16x8.extend_low_i8x16_u (local.get $solid)))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $px) (local.get $end)))
        (local.set $v (v128.load (local.get $px)))
        ;; Most of a card is bare background, and shapes are mostly opaque.
        (local.set $a (v128.and (local.get $v) (v128.const i32x4 0xff000000 0xff000000 0xff000000 0xff000000)))
        (if (i32.eqz (v128.any_true (local.get $a)))
          (then
            (v128.store (local.get $px) (local.get $solid))
            (local.set $px (i32.add (local.get $px) (i32.const 16)))
            (br $four)))
        (if (i32x4.all_true (i32x4.eq (local.get $a) (v128.const i32x4 0xff000000 0xff000000 0xff000000 0xff000000)))
          (then
            (local.set $px (i32.add (local.get $px) (i32.const 16)))
            (br $four)))
        ;; 255 - each pixel's alpha, in each of its four bytes.
        (local.set $inv
          (i8x16.sub
            (v128.const i32x4 -1 -1 -1 -1)
            (i8x16.shuffle 3 3 3 3 7 7 7 7 11 11 11 11 15 15 15 15 (local.get $v) (local.get $v))))
        (v128.store (local.get $px)
          (i8x16.add_sat_u
            (local.get $v)
            (i8x16.narrow_i16x8_u
              (i16x8.shr_u
                (i16x8.add (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $inv)) (local.get $c)) (v128.const i16x8 255 255 255 255 255 255 255 255))
                (i32.const 8))
              (i16x8.shr_u
                (i16x8.add (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $inv)) (local.get $c)) (v128.const i16x8 255 255 255 255 255 255 255 255))
                (i32.const 8)))))
        (local.set $px (i32.add (local.get $px) (i32.const 16)))
        (br $four))))

  ;; Linear interpolation of two pixels' four channels, w in 0..256 (a's
  ;; weight 256 - w), rounded: two channels at a time, 16 bits a lane.
  (func $lerp (param $a i32) (param $b i32) (param $w i32) (result i32)
    (local $v i32)
    (local.set $v (i32.sub (i32.const 256) (local.get $w)))
    (i32.or
      (i32.and
        (i32.shr_u
          (i32.add
            (i32.add
              (i32.mul (i32.and (local.get $a) (i32.const 0x00ff00ff)) (local.get $v))
              (i32.mul (i32.and (local.get $b) (i32.const 0x00ff00ff)) (local.get $w)))
            (i32.const 0x00800080))
          (i32.const 8))
        (i32.const 0x00ff00ff))
      (i32.and
        (i32.add
          (i32.add
            (i32.mul (i32.and (i32.shr_u (local.get $a) (i32.const 8)) (i32.const 0x00ff00ff)) (local.get $v))
            (i32.mul (i32.and (i32.shr_u (local.get $b) (i32.const 8)) (i32.const 0x00ff00ff)) (local.get $w)))
          (i32.const 0x00800080))
        (i32.const 0xff00ff00))))

  ;; Where output coordinate i (of n) samples a source of m: index and weight
  ;; (0..256) of the pixel after it, at pixel centres, clamped at the edges;
  ;; packed as index << 9 | weight.
  (func $sample (param $i i32) (param $n i32) (param $m i32) (result i32)
    (local $f f64) (local $at f64) (local $k i32)
    (local.set $f
      (f64.sub
        (f64.div (f64.mul (f64.add (f64.convert_i32_u (local.get $i)) (f64.const 0.5)) (f64.convert_i32_u (local.get $m))) (f64.convert_i32_u (local.get $n)))
        (f64.const 0.5)))
    (if (f64.le (local.get $f) (f64.const 0)) (then (return (i32.const 0))))
    (local.set $at (f64.floor (local.get $f)))
    (local.set $k (i32.trunc_f64_u (local.get $at)))
    (if (i32.ge_u (local.get $k) (i32.sub (local.get $m) (i32.const 1)))
      (then (return (i32.shl (i32.sub (local.get $m) (i32.const 1)) (i32.const 9)))))
    (i32.or
      (i32.shl (local.get $k) (i32.const 9))
      (i32.trunc_f64_u (f64.nearest (f64.mul (f64.sub (local.get $f) (local.get $at)) (f64.const 256))))))

  ;; Rows y0 .. y0 + rows of a width × height card at `dst` (premultiplied,
  ;; drawn on transparent), in place, over its background: the sw × sh
  ;; raster at `src` scaled up bilinearly (pixel centres, clamped edges).
  ;; `tmp` holds one background row (sw + 1 pixels); `xs`, width samples.
  ;; Source-over rounds as tiny-skia: d * (255 - sa) + 255 >> 8.
  (func (export "under") (param $dst i32) (param $width i32) (param $y0 i32) (param $rows i32) (param $height i32)
        (param $src i32) (param $sw i32) (param $sh i32) (param $tmp i32) (param $xs i32)
    (local $x i32) (local $y i32) (local $s i32) (local $row0 i32) (local $row1 i32) (local $wy i32)
    (local $fg i32) (local $fa i32) (local $bg i32) (local $inv i32) (local $end i32)
    (local $p i32) (local $a i32) (local $b i32) (local $w i32) (local $v i32)
    ;; The horizontal samples, once for the band.
    (local.set $x (i32.const 0))
    (block $xsDone
      (loop $xsLoop
        (br_if $xsDone (i32.ge_u (local.get $x) (local.get $width)))
        (i32.store (i32.add (local.get $xs) (i32.shl (local.get $x) (i32.const 2))) (call $sample (local.get $x) (local.get $width) (local.get $sw)))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $xsLoop)))
    (local.set $end (i32.add (local.get $y0) (local.get $rows)))
    (local.set $y (local.get $y0))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $y) (local.get $end)))
        ;; The background's row at y: two source rows blended, into tmp.
        (local.set $s (call $sample (local.get $y) (local.get $height) (local.get $sh)))
        (local.set $wy (i32.and (local.get $s) (i32.const 511)))
        (local.set $row0 (i32.add (local.get $src) (i32.mul (i32.shr_u (local.get $s) (i32.const 9)) (i32.shl (local.get $sw) (i32.const 2)))))
        (local.set $row1
          (select
            (i32.add (local.get $row0) (i32.shl (local.get $sw) (i32.const 2)))
            (local.get $row0)
            (local.get $wy)))
        (local.set $x (i32.const 0))
        (block $tmpDone
          (loop $tmpLoop
            (br_if $tmpDone (i32.ge_u (local.get $x) (local.get $sw)))
            (i32.store (i32.add (local.get $tmp) (i32.shl (local.get $x) (i32.const 2)))
              (call $lerp
                (i32.load (i32.add (local.get $row0) (i32.shl (local.get $x) (i32.const 2))))
                (i32.load (i32.add (local.get $row1) (i32.shl (local.get $x) (i32.const 2))))
                (local.get $wy)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $tmpLoop)))
        ;; A pixel past the last, for the clamped right edge (its weight is 0).
        (i32.store (i32.add (local.get $tmp) (i32.shl (local.get $sw) (i32.const 2)))
          (i32.load (i32.add (local.get $tmp) (i32.shl (i32.sub (local.get $sw) (i32.const 1)) (i32.const 2)))))
        (local.set $x (i32.const 0))
        (block $pxDone
          (loop $px
            (br_if $pxDone (i32.ge_u (local.get $x) (local.get $width)))
            (local.set $fg (i32.load (local.get $dst)))
            (local.set $fa (i32.shr_u (local.get $fg) (i32.const 24)))
            (if (i32.ne (local.get $fa) (i32.const 255))
              (then
                (local.set $s (i32.load (i32.add (local.get $xs) (i32.shl (local.get $x) (i32.const 2)))))
                ;; $lerp, written out: a call per pixel doubled the loop's time.
                (local.set $p (i32.add (local.get $tmp) (i32.shl (i32.shr_u (local.get $s) (i32.const 9)) (i32.const 2))))
                (local.set $a (i32.load (local.get $p)))
                (local.set $b (i32.load offset=4 (local.get $p)))
                (local.set $w (i32.and (local.get $s) (i32.const 511)))
                (local.set $v (i32.sub (i32.const 256) (local.get $w)))
                (local.set $bg
                  (i32.or
                    (i32.and
                      (i32.shr_u
                        (i32.add
                          (i32.add
                            (i32.mul (i32.and (local.get $a) (i32.const 0x00ff00ff)) (local.get $v))
                            (i32.mul (i32.and (local.get $b) (i32.const 0x00ff00ff)) (local.get $w)))
                          (i32.const 0x00800080))
                        (i32.const 8))
                      (i32.const 0x00ff00ff))
                    (i32.and
                      (i32.add
                        (i32.add
                          (i32.mul (i32.and (i32.shr_u (local.get $a) (i32.const 8)) (i32.const 0x00ff00ff)) (local.get $v))
                          (i32.mul (i32.and (i32.shr_u (local.get $b) (i32.const 8)) (i32.const 0x00ff00ff)) (local.get $w)))
                        (i32.const 0x00800080))
                      (i32.const 0xff00ff00))))
                (if (i32.eqz (local.get $fa))
                  (then (i32.store (local.get $dst) (local.get $bg)))
                  (else
                    (local.set $inv (i32.sub (i32.const 255) (local.get $fa)))
                    (i32.store (local.get $dst)
                      (i32.add (local.get $fg)
                        (i32.or
                          (i32.and
                            (i32.shr_u (i32.add (i32.mul (i32.and (local.get $bg) (i32.const 0x00ff00ff)) (local.get $inv)) (i32.const 0x00ff00ff)) (i32.const 8))
                            (i32.const 0x00ff00ff))
                          (i32.and
                            (i32.add (i32.mul (i32.and (i32.shr_u (local.get $bg) (i32.const 8)) (i32.const 0x00ff00ff)) (local.get $inv)) (i32.const 0x00ff00ff))
                            (i32.const 0xff00ff00)))))))))
            (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $px)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $row))))

  ;; A picture scaled with tiny-skia's bicubic filter (Mitchell-Netravali,
  ;; B = C = 1/3: each output pixel weighs 4 × 4 source pixels), as resvg
  ;; draws an <image>, but separably: each source row is filtered across once
  ;; (into an 8-row cache, `cache` and its row `tags`) and the four rows an
  ;; output row needs are then weighed down. Source rows at `src` (`sw`
  ;; premultiplied RGBA pixels each), `dh` output rows of `dw` pixels to `dst`.
  ;; Per output column, `xi` holds its 4 source columns and `xw` their f32
  ;; weights; per output row, `yi` and `yw` the same for rows. Channels are
  ;; scaled to 0..1, clamped to 0..alpha and rounded back, as tiny-skia's
  ;; highp pipeline stores them.
  ;; Four channels at once (f32x4, r g b a): the same single-precision
  ;; operations in the same order as one channel at a time.
  (func $across (param $line i32) (param $dw i32) (param $xi i32) (param $xw i32) (param $out i32)
    (local $end i32) (local $k i32) (local $acc v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $dw) (i32.const 4))))
    (block $done
      (loop $px
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $k (i32.const 0))
        (block $tapsDone
          (loop $taps
            (br_if $tapsDone (i32.ge_u (local.get $k) (i32.const 16)))
            ;; The tap's pixel, channels as f32 lanes scaled to 0..1, times its weight.
            (local.set $acc
              (f32x4.add (local.get $acc)
                (f32x4.mul
                  (f32x4.splat (f32.load (i32.add (local.get $xw) (local.get $k))))
                  (f32x4.mul
                    (f32x4.convert_i32x4_u
                      (i32x4.extend_low_i16x8_u
                        (i16x8.extend_low_i8x16_u
                          (v128.load32_zero
                            (i32.add (local.get $line) (i32.shl (i32.load (i32.add (local.get $xi) (local.get $k))) (i32.const 2)))))))
                    (v128.const f32x4 0x1.010102p-8 0x1.010102p-8 0x1.010102p-8 0x1.010102p-8)))))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $taps)))
        (v128.store (local.get $out) (local.get $acc))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $xi (i32.add (local.get $xi) (i32.const 16)))
        (local.set $xw (i32.add (local.get $xw) (i32.const 16)))
        (br $px))))

  (func (export "bicubic") (param $src i32) (param $sw i32) (param $dst i32) (param $dw i32) (param $dh i32)
        (param $xi i32) (param $xw i32) (param $yi i32) (param $yw i32) (param $cache i32) (param $tags i32)
    (local $py i32) (local $j i32) (local $row i32) (local $slot i32) (local $at i32) (local $end i32)
    (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $v v128)
    (memory.fill (local.get $tags) (i32.const 0xff) (i32.const 32))
    (local.set $py (i32.const 0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $py) (local.get $dh)))
        ;; The four source rows, each filtered across once while cached.
        (local.set $j (i32.const 0))
        (block $filled
          (loop $fill
            (br_if $filled (i32.ge_u (local.get $j) (i32.const 16)))
            (local.set $row (i32.load (i32.add (local.get $yi) (local.get $j))))
            (local.set $slot (i32.and (local.get $row) (i32.const 7)))
            (if (i32.ne (i32.load (i32.add (local.get $tags) (i32.shl (local.get $slot) (i32.const 2)))) (local.get $row))
              (then
                (call $across
                  (i32.add (local.get $src) (i32.mul (local.get $row) (i32.shl (local.get $sw) (i32.const 2))))
                  (local.get $dw) (local.get $xi) (local.get $xw)
                  (i32.add (local.get $cache) (i32.mul (local.get $slot) (i32.shl (local.get $dw) (i32.const 4)))))
                (i32.store (i32.add (local.get $tags) (i32.shl (local.get $slot) (i32.const 2))) (local.get $row))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $fill)))
        (local.set $s0 (i32.add (local.get $cache) (i32.mul (i32.and (i32.load (local.get $yi)) (i32.const 7)) (i32.shl (local.get $dw) (i32.const 4)))))
        (local.set $s1 (i32.add (local.get $cache) (i32.mul (i32.and (i32.load offset=4 (local.get $yi)) (i32.const 7)) (i32.shl (local.get $dw) (i32.const 4)))))
        (local.set $s2 (i32.add (local.get $cache) (i32.mul (i32.and (i32.load offset=8 (local.get $yi)) (i32.const 7)) (i32.shl (local.get $dw) (i32.const 4)))))
        (local.set $s3 (i32.add (local.get $cache) (i32.mul (i32.and (i32.load offset=12 (local.get $yi)) (i32.const 7)) (i32.shl (local.get $dw) (i32.const 4)))))
        (local.set $w0 (f32x4.splat (f32.load (local.get $yw))))
        (local.set $w1 (f32x4.splat (f32.load offset=4 (local.get $yw))))
        (local.set $w2 (f32x4.splat (f32.load offset=8 (local.get $yw))))
        (local.set $w3 (f32x4.splat (f32.load offset=12 (local.get $yw))))
        (local.set $at (i32.const 0))
        (local.set $end (i32.shl (local.get $dw) (i32.const 4)))
        (block $pxDone
          (loop $px
            (br_if $pxDone (i32.ge_u (local.get $at) (local.get $end)))
            (local.set $v
              (f32x4.add (f32x4.add (f32x4.add
                (f32x4.mul (local.get $w0) (v128.load (i32.add (local.get $s0) (local.get $at))))
                (f32x4.mul (local.get $w1) (v128.load (i32.add (local.get $s1) (local.get $at)))))
                (f32x4.mul (local.get $w2) (v128.load (i32.add (local.get $s2) (local.get $at)))))
                (f32x4.mul (local.get $w3) (v128.load (i32.add (local.get $s3) (local.get $at))))))
            ;; Alpha clamped to 0..1, colour to 0..alpha (tiny-skia's clamp_0 and
            ;; clamp_a); each lane then 0..1 times 255, rounded to nearest.
            (local.set $v
              (f32x4.min (local.get $v)
                (f32x4.splat (f32.min (f32.max (f32x4.extract_lane 3 (local.get $v)) (f32.const 0)) (f32.const 1)))))
            (local.set $v
              (i32x4.trunc_sat_f32x4_u
                (f32x4.nearest
                  (f32x4.mul
                    (f32x4.min (f32x4.max (local.get $v) (v128.const f32x4 0 0 0 0)) (v128.const f32x4 1 1 1 1))
                    (v128.const f32x4 255 255 255 255)))))
            (v128.store32_lane 0 (local.get $dst)
              (i8x16.narrow_i16x8_u
                (i16x8.narrow_i32x4_u (local.get $v) (local.get $v))
                (i16x8.narrow_i32x4_u (local.get $v) (local.get $v))))
            (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (br $px)))
        (local.set $yi (i32.add (local.get $yi) (i32.const 16)))
        (local.set $yw (i32.add (local.get $yw) (i32.const 16)))
        (local.set $py (i32.add (local.get $py) (i32.const 1)))
        (br $rows))))
)
