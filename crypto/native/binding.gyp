# The RDRAND/RDSEED helper (crypto/native/src/cpu_random.cc). Built by build.mjs at install time;
# x86-64 only (build.mjs does not call node-gyp elsewhere). The instructions are enabled per function
# with target attributes in the source, so nothing else in the addon may use them by accident.
{
  "targets": [
    {
      "target_name": "cpu_random",
      "sources": ["src/cpu_random.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra"],
      "xcode_settings": { "OTHER_CPLUSPLUSFLAGS": ["-std=c++17", "-O2"] }
    }
  ]
}
