#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs `body` on a thread with a large stack, so deep (but limited) recursion in user
/// code is an error message, not a crash; returns when it finishes.
///
/// A bare pthread, joined, rather than Foundation's `Thread`: that one's start-up (its
/// name, its thread dictionary, a semaphore to wait on) cost every `ltnb` process about
/// 0.1 ms. If no thread can be made, `body` runs on the calling thread.
public func runWithLargeStack<T>(_ body: @escaping () -> T) -> T {
    let result = LargeStackResult<T>()
    let job = LargeStackJob { result.value = body() }
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, LargeStackJob.stackBytes)
    let context = Unmanaged.passRetained(job).toOpaque()
    #if canImport(Glibc)
      var thread = pthread_t()
    #else
      var thread: pthread_t?
    #endif
    let created = pthread_create(&thread, &attributes, { raw in
        if let raw { Unmanaged<LargeStackJob>.fromOpaque(raw).takeRetainedValue().run() }
        return nil
    }, context)
    if created == 0 {
        #if canImport(Glibc)
          pthread_join(thread, nil)
        #else
          if let thread { pthread_join(thread, nil) }
        #endif
    } else {
        Unmanaged<LargeStackJob>.fromOpaque(context).takeRetainedValue().run()
    }
    return result.value.unsafelyUnwrapped
}

/// The work a large-stack thread runs; the thread owns it (retained across the C call).
private final class LargeStackJob {
    /// 1 GiB: deep enough for the interpreter's recursion limit with large frames.
    static let stackBytes = 1 << 30
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}

/// Where the thread leaves `body`'s value; read after the join.
private final class LargeStackResult<T> {
    var value: T?
}
