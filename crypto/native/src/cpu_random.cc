// RDRAND / RDSEED for hardened-rng's 'rdrand' and 'rdseed' entropy sources, getpid(2) for the Rng's
// fork check (Node's `process.pid` is a value fixed at bootstrap, so a process forked or restored with a
// new pid by native code would still see its parent's pid there), and a non-blocking exclusive file lock
// for the guard (Node has no flock/fcntl lock call; see lockFile below and crypto/native/file-lock.ts).
//
// Intel Digital Random Number Generator (DRNG) Software Implementation Guide, rev. 2.1:
//   §5.2.1  availability: CPUID.01H:ECX[30] = RDRAND, CPUID.(EAX=07H,ECX=0):EBX[18] = RDSEED.
//   §5.2.2  carry flag clear = no value was ready; the destination is zero and must not be used.
//   §5.2.1  RDRAND: retry up to 10 times; ten consecutive failures mean a hardware problem.
//   §5.3.1  RDSEED: may fail more often (it drains the conditioner's output); retry after a PAUSE.
// AMD shipped parts whose RDRAND returned all-ones with the carry set (family 15h/16h after resume,
// some Zen 2 firmware) and Zen 5 parts whose 16/32-bit RDSEED returned zero with the carry set
// (AMD-SB-7055). A 64-bit value of all-zeros or all-ones has probability 2^-63 from a working unit, so
// it is counted as a failure and retried, never returned.
#include <napi.h>

#include <cstdint>
#include <cstring>
#include <string>

#include <cerrno>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

#if !defined(__x86_64__)
#error "cpu_random is x86-64 only; build.mjs does not build it elsewhere"
#endif

#include <cpuid.h>
#include <immintrin.h>

namespace {

constexpr int kRdrandTries = 10;
// Generous: on a loaded multi-core part RDSEED can stay empty for thousands of cycles. 4096 PAUSEs
// bound one word's wait to well under a millisecond, after which the source reports failure.
constexpr int kRdseedTries = 4096;

struct Features {
  bool rdrand;
  bool rdseed;
};

Features DetectFeatures() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  Features f{false, false};
  if (__get_cpuid(1, &a, &b, &c, &d)) f.rdrand = (c & (1u << 30)) != 0;
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) f.rdseed = (b & (1u << 18)) != 0;
  return f;
}

const Features& CachedFeatures() {
  static const Features features = DetectFeatures();
  return features;
}

__attribute__((target("rdrnd"))) int Rdrand64(unsigned long long* out) { return _rdrand64_step(out); }
__attribute__((target("rdseed"))) int Rdseed64(unsigned long long* out) { return _rdseed64_step(out); }

struct FillResult {
  bool ok;
  size_t failedWord;      // index of the 64-bit word that could not be filled (when !ok)
  uint64_t carryClear;    // attempts that returned CF = 0, over the whole request
  uint64_t degenerate;    // attempts that returned CF = 1 with all-zeros or all-ones
};

// One word with the instruction's retry policy; counts every failed attempt.
bool Word(bool seed, unsigned long long* value, FillResult* r) {
  const int tries = seed ? kRdseedTries : kRdrandTries;
  for (int i = 0; i < tries; i++) {
    unsigned long long v = 0;
    const int cf = seed ? Rdseed64(&v) : Rdrand64(&v);
    if (!cf) {
      r->carryClear++;
      if (seed) _mm_pause();
      continue;
    }
    if (v == 0 || v == ~0ULL) {
      r->degenerate++;
      continue;
    }
    *value = v;
    return true;
  }
  return false;
}

FillResult Fill(bool seed, uint8_t* dst, size_t len) {
  FillResult r{true, 0, 0, 0};
  const size_t words = (len + 7) / 8;
  for (size_t w = 0; w < words; w++) {
    unsigned long long v = 0;
    if (!Word(seed, &v, &r)) {
      r.ok = false;
      r.failedWord = w;
      break;
    }
    const size_t at = w * 8;
    const size_t n = len - at < 8 ? len - at : 8;
    std::memcpy(dst + at, &v, n);
    v = 0;
  }
  return r;
}

Napi::Value Probe(const Napi::CallbackInfo& info) {
  const Features& f = CachedFeatures();
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("rdrand", Napi::Boolean::New(info.Env(), f.rdrand));
  o.Set("rdseed", Napi::Boolean::New(info.Env(), f.rdseed));
  o.Set("rdrandTries", Napi::Number::New(info.Env(), kRdrandTries));
  o.Set("rdseedTries", Napi::Number::New(info.Env(), kRdseedTries));
  return o;
}

// fill(instruction: 'rdrand' | 'rdseed', target: Uint8Array) -> { ok, failedWord, carryClear, degenerate }
// Argument errors come back as { error } rather than exceptions (the addon is built without C++
// exceptions); the TypeScript loader turns every non-ok result into an EntropySourceError.
Napi::Value FillJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  if (info.Length() != 2 || !info[0].IsString() || !info[1].IsTypedArray()) {
    o.Set("error", Napi::String::New(env, "fill(instruction, Uint8Array): bad arguments"));
    return o;
  }
  const std::string which = info[0].As<Napi::String>().Utf8Value();
  const bool seed = which == "rdseed";
  if (!seed && which != "rdrand") {
    o.Set("error", Napi::String::New(env, "instruction must be 'rdrand' or 'rdseed'"));
    return o;
  }
  Napi::TypedArray ta = info[1].As<Napi::TypedArray>();
  if (ta.TypedArrayType() != napi_uint8_array) {
    o.Set("error", Napi::String::New(env, "target must be a Uint8Array"));
    return o;
  }
  // Executing an instruction the CPU lacks is SIGILL: check here too, not only in the caller.
  const Features& f = CachedFeatures();
  if (seed ? !f.rdseed : !f.rdrand) {
    o.Set("error", Napi::String::New(env, seed ? "CPU lacks RDSEED" : "CPU lacks RDRAND"));
    return o;
  }
  Napi::Uint8Array bytes = ta.As<Napi::Uint8Array>();
  const FillResult r = Fill(seed, bytes.Data(), bytes.ElementLength());
  o.Set("ok", Napi::Boolean::New(env, r.ok));
  o.Set("failedWord", Napi::Number::New(env, static_cast<double>(r.failedWord)));
  o.Set("carryClear", Napi::Number::New(env, static_cast<double>(r.carryClear)));
  o.Set("degenerate", Napi::Number::New(env, static_cast<double>(r.degenerate)));
  return o;
}

// forkSentinel() -> ArrayBuffer | undefined: one page mapped with MADV_WIPEONFORK (Linux ≥ 4.14), its first
// byte set to 1. A child created by fork(2) gets the page zero-filled, so reading one byte tells the Rng
// that it is no longer the process it was (BoringSSL and OpenSSL use the same mechanism). undefined when the
// kernel refuses the advice; the caller then falls back to getpid() on every request.
Napi::Value ForkSentinelJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
#if defined(MADV_WIPEONFORK)
  const long page = sysconf(_SC_PAGESIZE);
  void* p = mmap(nullptr, static_cast<size_t>(page), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return env.Undefined();
  if (madvise(p, static_cast<size_t>(page), MADV_WIPEONFORK) != 0) {
    munmap(p, static_cast<size_t>(page));
    return env.Undefined();
  }
  static_cast<uint8_t*>(p)[0] = 1;
  // Never unmapped: one page per call, and the Rng asks once per process.
  return Napi::ArrayBuffer::New(env, p, static_cast<size_t>(page));
#else
  return env.Undefined();
#endif
}

// getpid() -> number: the kernel's answer now, not a value cached at start-up.
Napi::Value GetpidJs(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(getpid()));
}

// lockFile(fd) -> 1 | 2 | 0 | -errno: a non-blocking exclusive lock on the whole file open at `fd`.
// 1: taken as an open-file-description lock (fcntl F_OFD_SETLK, Linux >= 3.15): owned by the open file
//    description, so it is released only when the last descriptor for it is closed or the process dies
//    (kill -9 included), is not shared with a fork's copy of the table, and, unlike classic POSIX record
//    locks, is not dropped when another descriptor of the same file is closed elsewhere in the process.
//    It conflicts with another description's lock in this process too. On NFS it is the server's lock.
// 2: taken with flock(2), where the kernel or file system refuses OFD locks (EINVAL, ENOLCK, EOPNOTSUPP).
//    Same ownership rules; on NFS (Linux >= 2.6.12) flock is emulated with the server's byte-range lock,
//    so it still conflicts with an OFD lock taken on another host.
// 0: another open file description holds a conflicting lock.
// -errno: anything else (EBADF, ...).
Napi::Value LockFileJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsNumber()) return Napi::Number::New(env, -EINVAL);
  const int fd = info[0].As<Napi::Number>().Int32Value();
#if defined(F_OFD_SETLK)
  struct flock fl;
  std::memset(&fl, 0, sizeof fl);
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  fl.l_start = 0;
  fl.l_len = 0;  // the whole file, however long it grows
  fl.l_pid = 0;  // required to be 0 for OFD locks
  if (fcntl(fd, F_OFD_SETLK, &fl) == 0) return Napi::Number::New(env, 1);
  const int ofdErr = errno;
  if (ofdErr == EAGAIN || ofdErr == EACCES) return Napi::Number::New(env, 0);
  if (ofdErr != EINVAL && ofdErr != ENOLCK && ofdErr != EOPNOTSUPP) return Napi::Number::New(env, -ofdErr);
#endif
  if (flock(fd, LOCK_EX | LOCK_NB) == 0) return Napi::Number::New(env, 2);
  const int err = errno;
  if (err == EWOULDBLOCK) return Napi::Number::New(env, 0);
  return Napi::Number::New(env, -err);
}

// unlockFile(fd, how) -> 0 | -errno: releases what lockFile(fd) returned `how` (1 OFD, 2 flock) for.
// Closing the descriptor releases it too; this is for a holder that keeps the file open.
Napi::Value UnlockFileJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsNumber() || !info[1].IsNumber()) return Napi::Number::New(env, -EINVAL);
  const int fd = info[0].As<Napi::Number>().Int32Value();
  const int how = info[1].As<Napi::Number>().Int32Value();
  if (how == 2) return Napi::Number::New(env, flock(fd, LOCK_UN) == 0 ? 0 : -errno);
#if defined(F_OFD_SETLK)
  if (how == 1) {
    struct flock fl;
    std::memset(&fl, 0, sizeof fl);
    fl.l_type = F_UNLCK;
    fl.l_whence = SEEK_SET;
    return Napi::Number::New(env, fcntl(fd, F_OFD_SETLK, &fl) == 0 ? 0 : -errno);
  }
#endif
  return Napi::Number::New(env, -EINVAL);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("lockFile", Napi::Function::New(env, LockFileJs));
  exports.Set("unlockFile", Napi::Function::New(env, UnlockFileJs));
  exports.Set("probe", Napi::Function::New(env, Probe));
  exports.Set("getpid", Napi::Function::New(env, GetpidJs));
  exports.Set("forkSentinel", Napi::Function::New(env, ForkSentinelJs));
  exports.Set("fill", Napi::Function::New(env, FillJs));
  return exports;
}

}  // namespace

NODE_API_MODULE(cpu_random, Init)
