// Counterparts: zend_gcvt and smart_str_append_double (main/snprintf.c,
// Zend/zend_smart_str.c), _is_numeric_string_ex (Zend/zend_operators.c).
#include "conversions.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace zmem_run {

std::string php_float_to_string(double d, int precision) {
  if (std::isnan(d)) return "NAN";
  if (std::isinf(d)) return d < 0 ? "-INF" : "INF";
  if (precision < 1) precision = 1;
  // zend_dtoa mode 2: `precision` significant digits, correctly rounded,
  // trailing zeros dropped.  glibc's %e is correctly rounded too.
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*e", precision - 1, std::fabs(d));
  std::string digits;
  const char* p = buf;
  for (; *p != 'e'; ++p) {
    if (*p != '.') digits += *p;
  }
  int decpt = std::atoi(p + 1) + 1;  // value = 0.DIGITS * 10^decpt
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  if (digits == "0") decpt = 1;
  std::string out;
  if (std::signbit(d)) out += '-';
  if (decpt < 0 ? decpt < -3 : decpt > precision) {
    // exponential: d.dddE+X
    int e = decpt - 1;
    out += digits[0];
    out += '.';
    out += digits.size() > 1 ? digits.substr(1) : "0";
    out += 'E';
    out += e < 0 ? '-' : '+';
    out += std::to_string(e < 0 ? -e : e);
  } else if (decpt <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-decpt), '0');
    out += digits;
  } else {
    for (int i = 0; i < decpt; ++i) out += i < static_cast<int>(digits.size()) ? digits[i] : '0';
    if (static_cast<int>(digits.size()) > decpt) {
      out += '.';
      out += digits.substr(decpt);
    }
  }
  return out;
}

namespace {
bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

Numeric numeric_prefix(std::string_view s, std::int64_t* l, double* d, bool* trailing) {
  std::size_t i = 0, n = s.size();
  *trailing = false;
  while (i < n && is_ws(s[i])) ++i;
  std::size_t start = i;
  if (i < n && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t int_start = i;
  while (i < n && is_digit(s[i])) ++i;
  std::size_t int_digits = i - int_start;
  bool is_double = false;
  if (i < n && s[i] == '.' ) {
    std::size_t j = i + 1;
    while (j < n && is_digit(s[j])) ++j;
    if (j - i - 1 > 0 || int_digits > 0) {
      if (j - i - 1 > 0 || int_digits > 0) is_double = true;
      i = j;
    }
  }
  if (int_digits == 0 && !is_double) return Numeric::kNone;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < n && (s[j] == '-' || s[j] == '+')) ++j;
    if (j < n && is_digit(s[j])) {
      while (j < n && is_digit(s[j])) ++j;
      is_double = true;
      i = j;
    }
  }
  std::size_t end = i;
  while (i < n && is_ws(s[i])) ++i;
  if (i != n) *trailing = true;
  std::string num(s.substr(start, end - start));
  if (!is_double) {
    errno = 0;
    long long v = std::strtoll(num.c_str(), nullptr, 10);
    if (errno == 0) {
      *l = v;
      return Numeric::kLong;
    }
  }
  *d = std::strtod(num.c_str(), nullptr);
  return Numeric::kDouble;
}

const char* type_name(const zmem::Zval& zv) {
  const zmem::Zval& z = *zmem::deref(&zv);
  switch (z.type()) {
    case zmem::kUndef:
    case zmem::kNull: return "null";
    case zmem::kFalse:
    case zmem::kTrue: return "bool";
    case zmem::kLong: return "int";
    case zmem::kDouble: return "float";
    case zmem::kString: return "string";
    case zmem::kArray: return "array";
    case zmem::kObject: return "Node";
    default: return "unknown";
  }
}

std::int64_t double_to_long(double d) {
  if (!std::isfinite(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0) return 0;
  return static_cast<std::int64_t>(d);
}

bool long_compatible(double d, std::int64_t l) { return static_cast<double>(l) == d; }

}  // namespace zmem_run
