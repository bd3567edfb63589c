// Fork-join loops on CLTKernels' threads (`lt_parallel_for`), for the few row loops large
// enough to pay for a second thread.
//
// Determinism: callers split work into blocks whose boundaries depend only on the data
// size (never on the thread count), each block writes only its own outputs, and any
// reduction over blocks is done afterwards in block order. So the bytes are the same on
// one thread or many (LTNB_NUM_THREADS).
import CLTKernels

/// Boxes the body so C can call it through a context pointer.
private final class LoopBody {
  let body: (Int, Int) -> Void
  init(_ body: @escaping (Int, Int) -> Void) { self.body = body }
}

/// Runs `body(begin, end)` over contiguous ranges covering `0..<n`, concurrently when `n`
/// holds at least two ranges of `grain` items. `body` must only write state no other
/// range touches (disjoint slices of unsafe buffers).
func parallelRanges(_ n: Int, grain: Int, _ body: (Int, Int) -> Void) {
  if n <= 0 { return }
  if n < 2 * max(grain, 1) || lt_num_threads() <= 1 {
    body(0, n)
    return
  }
  withoutActuallyEscaping(body) { escaping in
    let job = LoopBody(escaping)
    let ctx = Unmanaged.passUnretained(job).toOpaque()
    lt_parallel_for(
      Int64(n), Int64(max(grain, 1)),
      { ctx, b, e in
        guard let ctx else { return }
        Unmanaged<LoopBody>.fromOpaque(ctx).takeUnretainedValue().body(Int(b), Int(e))
      }, ctx)
    withExtendedLifetime(job) {}
  }
}

/// Runs `body(block)` for every block index in `0..<blocks`, spread over the threads.
func parallelBlocks(_ blocks: Int, minBlocksPerThread: Int = 1, _ body: (Int) -> Void) {
  parallelRanges(blocks, grain: minBlocksPerThread) { lo, hi in
    for blk in lo..<hi { body(blk) }
  }
}

/// Threads the C kernels use (shared with LTTensor; LTNB_NUM_THREADS sets the default).
/// Results are the same for any value; tests set it to check that.
func kernelThreads() -> Int { Int(lt_num_threads()) }
func setKernelThreads(_ n: Int) { lt_set_num_threads(Int32(clamping: n)) }

/// Restricts the C kernels to an instruction set at most `level` (0 portable, 1 AVX2,
/// 2 AVX-512), `nil` for automatic; tests use it to compare the code paths.
func forceKernelLevel(_ level: Int?) { lt_force_isa(Int32(level ?? -1)) }

/// True when this module was compiled with optimisation. Package.swift asks for `-O` in
/// debug builds too, so `make test` (a debug build) can afford the phenomena suite; a test
/// checks this so losing the flag fails loudly instead of making CI crawl.
let compiledOptimised: Bool = {
  var optimised = true
  assert(
    {
      optimised = false
      return true
    }())
  return optimised
}()
