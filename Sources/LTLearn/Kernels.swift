// Settings of the C kernels (CLTKernels) that LTLearn computes on, for tests, and how
// this module was compiled.
//
// The kernels split work at boundaries that depend only on the sizes and add partial
// results in order, so the bytes are the same on one thread or many (LTNB_NUM_THREADS).
import CLTKernels

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
