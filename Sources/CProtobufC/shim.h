#ifndef PASSKEYD_PROTOBUF_C_SHIM_H
#define PASSKEYD_PROTOBUF_C_SHIM_H
// The protobuf-c runtime (Debian libprotobuf-c-dev). Only PasskeyWire imports this module.
#include <protobuf-c/protobuf-c.h>
#endif
