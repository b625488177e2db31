// Keeps the stored expectations honest: when php is installed, every stored
// snippet is run again with `php -n -r` and must print what was stored.
#include <cstdio>
#include <cstdlib>

#include "value_test_support.hpp"

using namespace zmem_test;

namespace {
std::string run_php(const std::string& code) {
  std::string quoted = "'";
  for (char c : code) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  quoted += "'";
  std::string cmd = "php -n -r " + quoted + " 2>/dev/null";
  std::string out;
  if (std::FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}
}  // namespace

TEST(PhpOracle, StoredExpectationsMatchInstalledPhp) {
  if (std::system("php -v > /dev/null 2>&1") != 0) {
    std::printf("php not installed: stored expectations are used as they are\n");
    return;
  }
  for (const PhpCase& c : kPhpCases) EXPECT_EQ(run_php(c.php), c.expected) << c.name;
}
