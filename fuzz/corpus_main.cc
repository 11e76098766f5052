// SPDX-License-Identifier: MIT
// A main for a fuzz target built without libFuzzer (g++, `make test`): runs
// LLVMFuzzerTestOneInput once over every file of the directories given, a smoke test of the
// committed corpus; exits 1 when a directory is missing or empty. With `--random N [SEED]` it
// then runs N inputs made by mutating the corpus at random (flip, insert, erase and splice bytes)
// — a crude fuzzer for a target libFuzzer cannot build (fuzz/CMakeLists.txt).
#include <cstdint>
#include <cstdio>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

void Run(const std::string& bytes) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

std::string Mutate(std::string input, const std::vector<std::string>& corpus, std::mt19937_64& rng) {
  const int edits = 1 + static_cast<int>(rng() % 8);
  for (int e = 0; e < edits; ++e) {
    const size_t at = input.empty() ? 0 : rng() % input.size();
    switch (rng() % 5) {
      case 0:
        if (!input.empty()) input[at] = static_cast<char>(input[at] ^ (1 << (rng() % 8)));
        break;
      case 1:
        input.insert(at, 1, static_cast<char>(rng() % 256));
        break;
      case 2:
        if (!input.empty()) input.erase(at, 1 + rng() % 8);
        break;
      case 3: {
        const std::string& other = corpus[rng() % corpus.size()];
        if (!other.empty()) {
          const size_t from = rng() % other.size();
          input.insert(at, other.substr(from, 1 + rng() % 32));
        }
        break;
      }
      default: {
        const char* tokens[] = {"null", "-1", "1e400", "\"\"", "[]", "{}", "9223372036854775807",
                                "\xff", "%00", "&", "=", "\n", "{\"version\":1,"};
        input.insert(at, tokens[rng() % std::size(tokens)]);
        break;
      }
    }
  }
  return input;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> corpus;
  long random_runs = 0;
  uint64_t seed = 19;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--random" && i + 1 < argc) {
      random_runs = std::atol(argv[++i]);
      if (i + 1 < argc && argv[i + 1][0] != '-' && std::isdigit(argv[i + 1][0])) {
        seed = std::strtoull(argv[++i], nullptr, 10);
      }
      continue;
    }
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(arg, ec)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      corpus.emplace_back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      Run(corpus.back());
    }
    if (ec) {
      std::fprintf(stderr, "%s: %s\n", arg.c_str(), ec.message().c_str());
      return 1;
    }
  }
  std::printf("%zu inputs ran\n", corpus.size());
  if (corpus.empty()) return 1;
  std::mt19937_64 rng(seed);
  for (long run = 0; run < random_runs; ++run) {
    Run(Mutate(corpus[rng() % corpus.size()], corpus, rng));
  }
  if (random_runs > 0) std::printf("%ld random inputs ran (seed %llu)\n", random_runs,
                                   static_cast<unsigned long long>(seed));
  return 0;
}
