/* libzmq (Debian libzmq3-dev) for the Jupyter kernel in LTKernel. zmq_msg_t is an
   opaque 64-byte struct; Swift handles it through these functions only. */
#include <zmq.h>
