// PHP 8.2's conversions that the subset needs: floats for echo (precision 14,
// zend_gcvt), numeric strings (is_numeric_string_ex), type names in messages.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <zmem/value.hpp>

namespace zmem_run {

/// smart_str_append_double(d, precision, zero_frac = false): what echo prints
/// for a float (precision 14 by default): "0.1", "1.0E+25", "-0", "INF".
std::string php_float_to_string(double d, int precision = 14);

/// Result of is_numeric_string_ex with allow_errors: kLong or kDouble with the
/// value, `trailing` set when characters other than whitespace follow the
/// number ("7 apples"); kNone when there is no leading number at all.
enum class Numeric { kNone, kLong, kDouble };
Numeric numeric_prefix(std::string_view s, std::int64_t* l, double* d, bool* trailing);

/// zend_zval_type_name: "null", "bool", "int", "float", "string", "array", or
/// the class name for objects ("Node").
const char* type_name(const zmem::Zval& z);

/// Integer conversions of PHP (zend_dval_to_lval on 64-bit: 0 outside the range).
std::int64_t double_to_long(double d);
/// Whether (double)(long)d == d (zend_is_long_compatible).
bool long_compatible(double d, std::int64_t l);

}  // namespace zmem_run
