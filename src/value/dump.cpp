// var_dump: PHP 8.2's output format, produced without recursion.
// Counterpart: php_var_dump, php_array_element_dump (ext/standard/var.c);
// smart_str_append_double / zend_gcvt for floats (Zend/zend_smart_str.c,
// main/snprintf.c) with serialize_precision = -1.
// Invariants: a value at level L is indented L-1 spaces, its element keys
// L+1 spaces, their values are at level L+2 (PHP's "%*c" arithmetic); an
// array being printed carries kGcProtected so a cycle prints *RECURSION*;
// every flag set here is cleared before returning.  An object is printed from
// its declared slots (set ones, in declaration order) and then its dynamic
// properties; the object's own header carries its kGcProtected.
#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

#include "value/value.hpp"
#include "zmem/object.hpp"
#include "zmem/resource.hpp"

namespace zmem {
namespace {

void indent(std::string& out, int n) { out.append(static_cast<std::size_t>(n > 0 ? n : 0), ' '); }

// An array's elements, or an object's properties: positions below
// o->num_slots() are declared slots, the rest positions in o->dynamic.
struct Frame {
  HashTable* ht;
  HashPosition pos;
  int level;
  bool protected_here;
  Object* obj;
};

// Prints one value; an array's header is printed and a frame pushed for its
// elements.
void emit(std::string& out, std::vector<Frame>& stack, const Zval* z, int level) {
  indent(out, level - 1);
  const char* amp = "";
  if (z->is_reference()) {
    if (z->ref()->gc.refcount > 1) amp = "&";
    z = &z->ref()->val;
  }
  char buf[64];
  switch (z->type()) {
    case kUndef:
    case kNull:
      out += amp;
      out += "NULL\n";
      return;
    case kFalse:
      out += amp;
      out += "bool(false)\n";
      return;
    case kTrue:
      out += amp;
      out += "bool(true)\n";
      return;
    case kLong:
      std::snprintf(buf, sizeof buf, "%sint(%lld)\n", amp, static_cast<long long>(z->lval()));
      out += buf;
      return;
    case kDouble:
      out += amp;
      out += "float(";
      out += format_double(z->dval());
      out += ")\n";
      return;
    case kString: {
      const String* s = z->str();
      std::snprintf(buf, sizeof buf, "%sstring(%zu) \"", amp, s->len);
      out += buf;
      out.append(s->val, s->len);
      out += "\"\n";
      return;
    }
    case kArray: {
      HashTable* ht = z->arr();
      bool guard = !ht->gc.immutable();
      if (guard) {
        if (ht->gc.type_info & kGcProtected) {
          out += "*RECURSION*\n";
          return;
        }
        ht->gc.type_info |= kGcProtected;
      }
      std::snprintf(buf, sizeof buf, "%sarray(%u) {\n", amp, ht->num_elements);
      out += buf;
      stack.push_back({ht, 0, level, guard, nullptr});
      return;
    }
    case kObject: {
      Object* o = z->value.obj;
      if (o->gc.type_info & kGcProtected) {
        out += "*RECURSION*\n";
        return;
      }
      o->gc.type_info |= kGcProtected;
      std::snprintf(buf, sizeof buf, "%sobject(", amp);
      out += buf;
      out += o->ce->name;
      std::snprintf(buf, sizeof buf, ")#%u (%u) {\n", o->handle, object_property_count(o));
      out += buf;
      stack.push_back({o->dynamic, 0, level, true, o});
      return;
    }
    case kResource: {
      const Resource* r = z->value.res;
      std::snprintf(buf, sizeof buf, "%sresource(%lld) of type (%s)\n", amp, static_cast<long long>(r->handle),
                    resource_type_name(r->type));
      out += buf;
      return;
    }
    default:
      std::snprintf(buf, sizeof buf, "%sUNKNOWN:%u\n", amp, z->type());
      out += buf;
      return;
  }
}

}  // namespace

std::string format_double(double d) {
  if (std::isnan(d)) return "NAN";
  if (std::isinf(d)) return d > 0 ? "INF" : "-INF";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  // Shortest round-trip digits, as zend_gcvt gets them from zend_dtoa mode 0.
  char sci[64];
  auto res = std::to_chars(sci, sci + sizeof sci, d, std::chars_format::scientific);
  std::string_view s(sci, static_cast<std::size_t>(res.ptr - sci));
  std::string out;
  if (s[0] == '-') {
    out += '-';
    s.remove_prefix(1);
  }
  std::size_t e_at = s.find('e');
  std::string digits;
  for (char c : s.substr(0, e_at)) {
    if (c != '.') digits += c;
  }
  int exponent = std::atoi(std::string(s.substr(e_at + 1)).c_str());
  int decpt = exponent + 1;  // digits before the decimal point
  if (decpt < 0 ? decpt < -3 : decpt > 17) {
    out += digits[0];
    out += '.';
    out += digits.size() > 1 ? digits.substr(1) : "0";
    out += 'E';
    out += exponent < 0 ? '-' : '+';
    out += std::to_string(exponent < 0 ? -exponent : exponent);
  } else if (decpt <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-decpt), '0');
    out += digits;
  } else if (static_cast<std::size_t>(decpt) >= digits.size()) {
    out += digits;
    out.append(static_cast<std::size_t>(decpt) - digits.size(), '0');
  } else {
    out += digits.substr(0, static_cast<std::size_t>(decpt));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(decpt));
  }
  return out;
}

std::string dump_to_string(const Zval& z) {
  std::string out;
  std::vector<Frame> stack;
  // var_dump() receives its argument by value: a reference held by the top
  // slot is looked through without the '&' marker (only elements show it).
  emit(out, stack, deref(&z), 1);
  while (!stack.empty()) {
    Frame& f = stack.back();
    const Zval* value = nullptr;
    std::uint64_t h = 0;
    String* key = nullptr;
    std::string_view name;
    if (f.obj != nullptr) {
      const std::uint32_t n = f.obj->num_slots();
      while (f.pos < n && f.obj->slots()[f.pos].is_undef()) ++f.pos;
      if (f.pos < n) {
        name = f.obj->ce->properties[f.pos].name;
        value = &f.obj->slots()[f.pos];
        ++f.pos;
      } else if (f.ht != nullptr) {
        HashPosition pos = hash_next_live(f.ht, f.pos - n);
        if (pos < f.ht->num_used) {
          hash_key_at(f.ht, pos, &h, &key);
          name = key->view();
          value = hash_value_at(f.ht, pos);
          f.pos = n + pos + 1;
        }
      }
    } else {
      HashPosition pos = hash_next_live(f.ht, f.pos);
      if (pos < f.ht->num_used) {
        hash_key_at(f.ht, pos, &h, &key);
        if (key != nullptr) name = key->view();
        value = hash_value_at(f.ht, pos);
        f.pos = pos + 1;
      }
    }
    if (value == nullptr) {
      indent(out, f.level - 1);
      out += "}\n";
      if (f.protected_here) {
        if (f.obj != nullptr) {
          f.obj->gc.type_info &= ~kGcProtected;
        } else {
          f.ht->gc.type_info &= ~kGcProtected;
        }
      }
      stack.pop_back();
      continue;
    }
    int level = f.level;
    indent(out, level + 1);
    if (f.obj == nullptr && key == nullptr) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "[%lld]=>\n", static_cast<long long>(h));
      out += buf;
    } else {
      out += "[\"";
      out += name;
      out += "\"]=>\n";
    }
    // May push a frame: f is not used after this call.
    emit(out, stack, value, level + 2);
  }
  return out;
}

void dump(const Zval& z, std::FILE* out) {
  std::string s = dump_to_string(z);
  std::fwrite(s.data(), 1, s.size(), out);
}

}  // namespace zmem
