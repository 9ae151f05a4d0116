// A main() for the fuzz targets without libFuzzer: runs each file or each
// file of each folder named on the command line once. ctest uses it to run
// the committed corpora (seeds, and any finding copied there) in the plain
// and the sanitize builds, with gcc, so a fixed finding stays fixed.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path p(argv[i]);
    if (std::filesystem::is_directory(p)) {
      for (const auto& e : std::filesystem::directory_iterator(p))
        if (e.is_regular_file()) {
          run_file(e.path());
          ++n;
        }
    } else {
      run_file(p);
      ++n;
    }
  }
  std::printf("%zu inputs ran\n", n);
  return n > 0 ? 0 : 1;  // an empty corpus is a mistake, not a pass
}
