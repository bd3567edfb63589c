/* libzmq (Debian libzmq3-dev) for the Jupyter kernel in LTKernel. Only the header:
   types and constants. The functions are resolved with dlopen (LTKernel/ZMQLibrary.swift),
   so processes that are not kernels never map libzmq. zmq_msg_t is an opaque 64-byte
   struct; Swift handles it through those functions only. */
#include <zmq.h>
