// CPasskeySystem is header-only (include/passkey_system.h); SwiftPM needs one source file for a C target.
