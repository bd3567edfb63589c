import CLTKernels

/// Fork-join parallelism for kernels, on the C side's persistent worker pool.
///
/// A job runs on at most `Tensor.threadCount` threads, in contiguous ranges of
/// at least `grain` items; callers choose ranges so that results do not depend
/// on how the work is split. When the pool is busy with another thread's job,
/// or `parallelFor` is called from inside a job, the whole range runs on the
/// calling thread (lt_parallel_chunks), which is why the split must not matter;
/// ranges are cut a few per thread and run by whichever thread is free.
final class RangeJob {
  let body: (Int, Int) -> Void
  init(_ body: @escaping (Int, Int) -> Void) { self.body = body }
}

/// Runs `body(begin, end)` over `0..<n`, in parallel when `n` exceeds `grain`.
func parallelFor(_ n: Int, grain: Int, _ body: (Int, Int) -> Void) {
  if n <= 0 { return }
  if n < 2 * grain || lt_num_threads() <= 1 {
    body(0, n)
    return
  }
  withoutActuallyEscaping(body) { escaping in
    let job = RangeJob(escaping)
    let ctx = Unmanaged.passUnretained(job).toOpaque()
    lt_parallel_chunks(Int64(n), Int64(grain), { ctx, b, e in
      guard let ctx else { return }
      Unmanaged<RangeJob>.fromOpaque(ctx).takeUnretainedValue().body(Int(b), Int(e))
    }, ctx)
    withExtendedLifetime(job) {}
  }
}

extension Tensor {
  /// Threads the kernels use (default: the machine's cores, or the
  /// LTNB_NUM_THREADS environment variable). Results are the same for any value.
  public static var threadCount: Int {
    get { Int(lt_num_threads()) }
    set { lt_set_num_threads(Int32(clamping: newValue)) }
  }

  /// Counters of the kernels' worker pool since the process started: jobs run
  /// on the pool, jobs run alone on their caller's thread because the pool
  /// was busy with another caller, and worker threads started (they sleep
  /// when idle). For tests and benchmarks.
  public static var kernelPoolStats: (pooledJobs: Int, serialJobs: Int, workers: Int) {
    var pooled: Int64 = 0, serial: Int64 = 0, workers: Int32 = 0
    lt_pool_stats(&pooled, &serial, &workers)
    return (Int(pooled), Int(serial), Int(workers))
  }

  /// The instruction set the kernels dispatched to: "avx512", "avx2" or "portable".
  public static var kernelISA: String {
    switch lt_isa() {
    case 2: return "avx512"
    case 1: return "avx2"
    default: return "portable"
    }
  }

  /// The widest instruction set the CPU and OS support (as `kernelISA` names it),
  /// whatever `forceKernelLevel` asked for.
  public static var detectedKernelISA: String {
    switch lt_isa_detected() {
    case 2: return "avx512"
    case 1: return "avx2"
    default: return "portable"
    }
  }

  /// Restricts the kernels to an instruction set at most `level` (0 portable,
  /// 1 AVX2, 2 AVX-512), or `nil` for automatic; used by tests to check every path.
  public static func forceKernelLevel(_ level: Int?) {
    lt_force_isa(Int32(level ?? -1))
  }
}
