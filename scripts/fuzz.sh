#!/usr/bin/env bash
# libFuzzer harnesses for the parsers and the verifier (Fuzz/*.swift).
#
#   scripts/fuzz.sh build              build every target into .build-fuzz/ (ASan + libFuzzer, -O)
#   scripts/fuzz.sh ci [SECONDS]       build, then run each target SECONDS (default 45) from a copy of its committed
#                                      seeds + regressions; one summary line per target; exit 1 on any crash/report
#   scripts/fuzz.sh long HOURS [JOBS]  build, then run all targets in parallel for HOURS, keeping the working corpus
#                                      in Fuzz/scratch/<target>/ and crash files in Fuzz/scratch/artifacts/<target>/
#   scripts/fuzz.sh run TARGET [args]  run one target with extra libFuzzer arguments (e.g. a crash file to replay)
#   scripts/fuzz.sh seeds              regenerate Fuzz/corpus/ from real ceremonies (soft authenticator)
#
# The engine modules are compiled straight with swiftc (no SwiftPM, no package resolution, no network): each module is
# one whole-module compile with coverage + ASan, each harness links against them. Needs Swift 6.2+, libssl-dev,
# libprotobuf-c-dev (scripts/install-deps.sh). swift-crypto's Crypto (for PasskeyMLDSA and the soft authenticator's
# ML-DSA keys) comes from SwiftPM's checkout: its BoringSSL is compiled once, uninstrumented (it is not what is fuzzed;
# about 2-3 minutes on two cores), into .build-fuzz/obj/libCryptoBoringSSL.a.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/.build-fuzz
TARGETS=(cbor cose authdata clientdata attestation frame differential keydescription jws tpm mdsblob)
SWIFTC=${SWIFTC:-swiftc}
CLANG=${CLANG:-clang}
SAN=(-sanitize=fuzzer,address)
CRYPTO_SRC=$ROOT/.build/checkouts/swift-crypto/Sources
CRYPTO_INCLUDES=(-I "$CRYPTO_SRC/CCryptoBoringSSL/include" -I "$CRYPTO_SRC/CCryptoBoringSSLShims/include"
                 -I "$CRYPTO_SRC/CXKCP/include" -I "$CRYPTO_SRC/CXKCPShims/include")
COMMON=(-O -parse-as-library -swift-version 6 -I "$OUT/modules" -I "$ROOT/Sources/CPasskeyOpenSSL"
        -I "$ROOT/Sources/CPasskeyProto/include" -I "$ROOT/Sources/CProtobufC" "${CRYPTO_INCLUDES[@]}" -I /usr/include -g)
LIBS=(-lcrypto -lprotobuf-c "$OUT/obj/libCryptoBoringSSL.a" -lstdc++)

log() { printf '== %s\n' "$*" >&2; }

# module NAME DEPS... — one whole-module object + .swiftmodule for Sources/NAME (skipped when up to date: newer than
# its sources and than each DEP's object).
module() {
    local name=$1 src=("$ROOT/Sources/$1"/*.swift "$ROOT/Sources/$1"/*/*.swift)
    local obj=$OUT/obj/$name.o
    local newest dep stale=0
    newest=$(ls -t "${src[@]}" | head -1)
    [[ -f $obj && $obj -nt $newest ]] || stale=1
    for dep in "${@:2}"; do [[ $obj -nt $OUT/obj/$dep.o ]] || stale=1; done
    if (( ! stale )); then return; fi
    log "module $name"
    "$SWIFTC" "${SAN[@]}" "${COMMON[@]}" -module-name "$name" -wmo -num-threads 0 \
        -emit-module -emit-module-path "$OUT/modules/$name.swiftmodule" -c -o "$obj" \
        "${src[@]}" 2> >(grep -v 'Cannot export local symbol' >&2)
    touch "$obj"  # the compiler leaves an unchanged object's mtime alone
}

# dependency NAME PACKAGE — a module of a Swift package dependency, from SwiftPM's checkout (.build/checkouts).
dependency() {
    local name=$1 package=$2
    local dir=$ROOT/.build/checkouts/$package/Sources/$name
    if [[ ! -d $dir ]]; then
        log "resolving packages for $package"
        (cd "$ROOT" && swift package resolve >&2)
    fi
    local obj=$OUT/obj/$name.o
    [[ -f $obj ]] && return
    log "dependency $name"
    local src=()
    while IFS= read -r -d '' f; do src+=("$f"); done < <(find "$dir" -name '*.swift' -print0)
    "$SWIFTC" "${SAN[@]}" "${COMMON[@]}" -module-name "$name" -wmo -num-threads 0 \
        -emit-module -emit-module-path "$OUT/modules/$name.swiftmodule" -c -o "$obj" \
        "${src[@]}" 2> >(grep -v 'Cannot export local symbol' >&2)
}

# swift-crypto's Crypto module and what it needs (CryptoBoringWrapper; BoringSSL, XKCP and their shims as one static
# archive), from SwiftPM's checkout, with the settings of its Package.swift. Built once.
swift_crypto() {
    if [[ ! -d $CRYPTO_SRC/Crypto ]]; then
        log "resolving packages for swift-crypto"
        (cd "$ROOT" && swift package resolve >&2)
    fi
    local archive=$OUT/obj/libCryptoBoringSSL.a
    if [[ ! -f $archive ]]; then
        log "swift-crypto: BoringSSL, XKCP (C, C++, assembly; uninstrumented)"
        local cdir=$OUT/obj/crypto-c
        rm -rf "$cdir" && mkdir -p "$cdir"
        # socket/connect BIOs are excluded by swift-crypto's Package.swift as well.
        ( cd "$CRYPTO_SRC/CCryptoBoringSSL" && find . \( -name '*.cc' -o -name '*.c' -o -name '*.S' \) \
              ! -path './crypto/bio/connect.cc' ! -path './crypto/bio/socket_helper.cc' ! -path './crypto/bio/socket.cc' \
              -print0 | xargs -0 -P "${FUZZ_BUILD_JOBS:-2}" -I{} sh -c '
                  o="$1/$(printf %s "$2" | sed "s|^\./||; s|/|_|g").o"
                  case "$2" in
                      *.cc) "$3" -x c++ -std=c++17 -O2 -fPIC -I include -c "$2" -o "$o" ;;
                      *) "$3" -O2 -fPIC -I include -c "$2" -o "$o" ;;
                  esac' sh "$cdir" {} "$CLANG" )
        local f
        for f in "$CRYPTO_SRC"/CXKCP/FIPS202-opt64/*.c; do
            "$CLANG" -O2 -fPIC -I "$CRYPTO_SRC/CXKCP/include" -I "$CRYPTO_SRC/CXKCP/FIPS202-opt64" \
                -c "$f" -o "$cdir/xkcp_$(basename "$f").o"
        done
        "$CLANG" -O2 -fPIC "${CRYPTO_INCLUDES[@]}" -c "$CRYPTO_SRC/CCryptoBoringSSLShims/shims.c" -o "$cdir/bssl_shims.o"
        "$CLANG" -O2 -fPIC "${CRYPTO_INCLUDES[@]}" -c "$CRYPTO_SRC/CXKCPShims/shims.c" -o "$cdir/xkcp_shims.o"
        ar rcs "$archive.tmp" "$cdir"/*.o && mv "$archive.tmp" "$archive"
        rm -rf "$cdir"
    fi
    local name src
    for name in CryptoBoringWrapper Crypto; do
        [[ -f $OUT/obj/$name.o ]] && continue
        log "dependency $name (swift-crypto)"
        src=()
        while IFS= read -r -d '' f; do src+=("$f"); done < <(find "$CRYPTO_SRC/$name" -name '*.swift' -print0)
        "$SWIFTC" "${SAN[@]}" "${COMMON[@]}" -module-name "$name" -package-name swift_crypto -wmo -num-threads 0 \
            -D CRYPTO_IN_SWIFTPM -D CRYPTO_IN_SWIFTPM_FORCE_BUILD_API -enable-upcoming-feature MemberImportVisibility \
            -suppress-warnings \
            -emit-module -emit-module-path "$OUT/modules/$name.swiftmodule" -c -o "$OUT/obj/$name.o" \
            "${src[@]}" 2> >(grep -v 'Cannot export local symbol' >&2)
    done
}

build() {
    mkdir -p "$OUT/modules" "$OUT/obj" "$OUT/bin"
    # protobuf-c generated code + arena allocator, instrumented (no libFuzzer main).
    local cobj=()
    for c in "$ROOT"/Sources/CPasskeyProto/*.c; do
        local o=$OUT/obj/$(basename "${c%.c}").c.o
        if [[ ! -f $o || $c -nt $o ]]; then
            log "cc $(basename "$c")"
            "$CLANG" -O1 -g -fsanitize=fuzzer-no-link,address -I "$ROOT/Sources/CPasskeyProto/include" -c "$c" -o "$o"
        fi
        cobj+=("$o")
    done
    dependency SwiftASN1 swift-asn1
    swift_crypto
    module PasskeyCBOR
    module PasskeyJSON
    module PasskeyCrypto
    module PasskeyMLDSA
    module PasskeyCOSE PasskeyCrypto PasskeyMLDSA
    module PasskeyAttestationData PasskeyJSON
    module PasskeyMetadata PasskeyCrypto
    module PasskeyWebAuthn PasskeyCOSE
    module PasskeySoftAuthenticator PasskeyWebAuthn
    module PasskeyProtocol
    module PasskeyWire PasskeyWebAuthn PasskeyProtocol
    local mods=(SwiftASN1 CryptoBoringWrapper Crypto PasskeyCBOR PasskeyJSON PasskeyCrypto PasskeyMLDSA PasskeyCOSE
                PasskeyAttestationData PasskeyMetadata PasskeyWebAuthn PasskeySoftAuthenticator PasskeyProtocol
                PasskeyWire)
    local objs=()
    for m in "${mods[@]}"; do objs+=("$OUT/obj/$m.o"); done
    local pids=() t
    for t in "${TARGETS[@]}"; do
        local bin=$OUT/bin/fuzz-$t
        if [[ -f $bin && $bin -nt $ROOT/Fuzz/$t.swift && $bin -nt $ROOT/Fuzz/Support/FuzzSupport.swift \
              && $bin -nt $OUT/obj/PasskeyWire.o && $bin -nt $OUT/obj/PasskeySoftAuthenticator.o ]]; then continue; fi
        log "harness $t"
        ( "$SWIFTC" "${SAN[@]}" "${COMMON[@]}" -warnings-as-errors -module-name "Fuzz_$t" \
            "$ROOT/Fuzz/$t.swift" "$ROOT/Fuzz/Support/FuzzSupport.swift" "${objs[@]}" "${cobj[@]}" "${LIBS[@]}" \
            -o "$bin" 2> >(grep -v 'Cannot export local symbol' >&2) ) &
        pids+=($!)
        if (( ${#pids[@]} >= ${FUZZ_BUILD_JOBS:-2} )); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
    done
    for p in "${pids[@]}"; do wait "$p"; done
    for t in "${TARGETS[@]}"; do [[ -x $OUT/bin/fuzz-$t ]] || { echo "fuzz build failed: $t" >&2; exit 1; }; done
    log "built ${#TARGETS[@]} fuzzers in $OUT/bin"
}

# Seed/regression directories that exist for a target.
inputs() {
    local t=$1
    for d in "$ROOT/Fuzz/corpus/$t" "$ROOT/Fuzz/regressions/$t"; do [[ -d $d ]] && printf '%s\n' "$d"; done
}

# Each target's dictionary, if it has one.
dictarg() { [[ -f $ROOT/Fuzz/dict/$1.dict ]] && printf -- '-dict=%s\n' "$ROOT/Fuzz/dict/$1.dict"; true; }

ci() {
    local secs=${1:-45}
    build
    local failed=0 total=0
    tmp=$(mktemp -d)
    trap 'rm -rf "${tmp:-}"' EXIT
    local summary=()
    for t in "${TARGETS[@]}"; do
        mkdir -p "$tmp/$t/corpus" "$tmp/$t/artifacts"
        # Replay regressions first (a plain run over files: any crash fails CI at once).
        local d
        while read -r d; do [[ -n $d ]] && cp -r "$d"/. "$tmp/$t/corpus/"; done < <(inputs "$t")
        local rc=0
        "$OUT/bin/fuzz-$t" "$tmp/$t/corpus" $(dictarg "$t") -max_total_time="$secs" -rss_limit_mb=2048 \
            -timeout=10 -max_len=4096 -print_final_stats=1 -artifact_prefix="$tmp/$t/artifacts/" \
            > "$tmp/$t/log" 2>&1 || rc=$?
        local execs cov ft
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$t/log" | tail -1)
        cov=$(grep -o 'cov: [0-9]*' "$tmp/$t/log" | tail -1 | awk '{print $2}')
        ft=$(grep -o 'ft: [0-9]*' "$tmp/$t/log" | tail -1 | awk '{print $2}')
        total=$(( total + ${execs:-0} ))
        if (( rc != 0 )); then
            failed=1
            summary+=("$(printf 'fuzz %-12s FAILED rc=%d execs=%s cov=%s' "$t" "$rc" "${execs:-?}" "${cov:-?}")")
            mkdir -p "$ROOT/Fuzz/scratch/artifacts/$t"
            cp "$tmp/$t/artifacts/"* "$ROOT/Fuzz/scratch/artifacts/$t/" 2>/dev/null || true
            grep -E -A40 'ERROR: |SUMMARY|Fatal error|fuzz invariant' "$tmp/$t/log" | head -80 >&2 || tail -40 "$tmp/$t/log" >&2
            echo "crash input(s) kept in Fuzz/scratch/artifacts/$t/" >&2
        else
            summary+=("$(printf 'fuzz %-12s ok     execs=%-9s cov=%-6s ft=%s' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}")")
        fi
    done
    printf '%s\n' "${summary[@]}"
    echo "fuzz total execs=$total"
    local bad
    bad=$(printf '%s\n' "${summary[@]}" | grep -c FAILED || true)
    echo "fuzz: $(( ${#TARGETS[@]} - bad )) passed, $bad failed"
    return $failed
}

long() {
    local hours=${1:?usage: fuzz.sh long HOURS [JOBS_PER_TARGET]} jobs=${2:-1}
    build
    local secs
    secs=$(awk -v h="$hours" 'BEGIN{printf "%d", h*3600}')
    local pids=() t
    for t in "${TARGETS[@]}"; do
        mkdir -p "$ROOT/Fuzz/scratch/$t" "$ROOT/Fuzz/scratch/artifacts/$t" "$ROOT/Fuzz/scratch/logs/$t"
        local seeds=() par=()
        while read -r d; do [[ -n $d ]] && seeds+=("$d"); done < <(inputs "$t")
        (( jobs > 1 )) && par=(-jobs="$jobs" -workers="$jobs")  # workers log to Fuzz/scratch/logs/<target>/fuzz-N.log
        log "long $t: ${hours}h x $jobs, corpus Fuzz/scratch/$t, log Fuzz/scratch/logs/$t.log"
        ( cd "$ROOT/Fuzz/scratch/logs/$t" && "$OUT/bin/fuzz-$t" "$ROOT/Fuzz/scratch/$t" "${seeds[@]}" $(dictarg "$t") \
            -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=4096 -print_final_stats=1 \
            "${par[@]}" -artifact_prefix="$ROOT/Fuzz/scratch/artifacts/$t/" \
            > "$ROOT/Fuzz/scratch/logs/$t.log" 2>&1 ) &
        pids+=($!)
    done
    local failed=0 i=0
    for p in "${pids[@]}"; do
        if ! wait "$p"; then failed=1; echo "fuzz ${TARGETS[$i]} FAILED: see Fuzz/scratch/logs/${TARGETS[$i]}.log, Fuzz/scratch/artifacts/${TARGETS[$i]}/" >&2; fi
        i=$((i + 1))
    done
    return $failed
}

# Regenerates Fuzz/corpus/ (replacing it) from real ceremonies: Fuzz/Support/SeedGen.swift.
seeds() {
    build
    log "seedgen"
    "$SWIFTC" -sanitize=address "${COMMON[@]}" -warnings-as-errors -module-name FuzzSeedGen \
        "$ROOT/Fuzz/Support/SeedGen.swift" "$ROOT/Fuzz/Support/FuzzSupport.swift" \
        "$OUT"/obj/SwiftASN1.o "$OUT"/obj/CryptoBoringWrapper.o "$OUT"/obj/Crypto.o "$OUT"/obj/Passkey*.o \
        "$OUT"/obj/*.c.o "${LIBS[@]}" -o "$OUT/bin/seedgen" \
        2> >(grep -v 'Cannot export local symbol' >&2)
    rm -rf "$ROOT/Fuzz/corpus"
    mkdir -p "$ROOT/Fuzz/corpus"
    "$OUT/bin/seedgen" "$ROOT/Fuzz/corpus"
}

case ${1:-} in
    build) build ;;
    ci) ci "${2:-45}" ;;
    long) long "${@:2}" ;;
    run) build; t=${2:?target}; shift 2; exec "$OUT/bin/fuzz-$t" $(dictarg "$t") -rss_limit_mb=2048 "$@" ;;
    seeds) seeds ;;
    *) sed -n '2,13p' "$0" >&2; exit 2 ;;
esac
