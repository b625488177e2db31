// Resources: type ids and handles from 1, the destructor exactly once on every
// path (refcount zero, close, request end in reverse order, failing
// destructors), typed fetch errors, and persistent resources across requests.
#include <string>
#include <vector>

#include "gc_test_support.hpp"

namespace {

using zmem_test::RequestScope;

std::vector<std::string> g_closed;
int g_persistent_closed = 0;

void close_file(zmem::Resource* r) { g_closed.push_back(static_cast<const char*>(r->ptr)); }
void close_persistent(zmem::Resource*) { ++g_persistent_closed; }
void failing_close(zmem::Resource* r) {
  g_closed.push_back(static_cast<const char*>(r->ptr));
  throw std::runtime_error("close failed");
}

int file_type() {
  static int id = zmem::register_resource_type("stream", close_file, close_persistent);
  return id;
}
int socket_type() {
  static int id = zmem::register_resource_type("socket", close_file);
  return id;
}

class Resources : public RequestScope {
 protected:
  void SetUp() override {
    RequestScope::SetUp();
    g_closed.clear();
  }
  zmem::Zval open(const char* name, int type) {
    zmem::Zval z;
    zmem::set_resource(z, zmem::register_resource(const_cast<char*>(name), type));
    return z;
  }
};

// Type ids start at 1; each request's handles start at 1.
TEST_F(Resources, IdsAndHandlesStartAtOne) {
  int a = file_type();
  int b = socket_type();
  EXPECT_GE(a, 1);
  EXPECT_EQ(b, a + 1);
  zmem::Zval r1 = open("one", a);
  zmem::Zval r2 = open("two", b);
  EXPECT_EQ(r1.value.res->handle, 1);
  EXPECT_EQ(r2.value.res->handle, 2);
  EXPECT_EQ(zmem::dump_to_string(r1), "resource(1) of type (stream)\n");
  zmem::ptr_dtor(r1);
  zmem::ptr_dtor(r2);
  end_request();
  zmem::Zval r3 = open("three", a);
  EXPECT_EQ(r3.value.res->handle, 1);
  zmem::ptr_dtor(r3);
}

// Refcount zero runs the destructor once and frees the resource.
TEST_F(Resources, DestructorAtRefcountZero) {
  zmem::Zval r = open("f", file_type());
  zmem::Zval copy;
  zmem::copy(copy, r);
  zmem::ptr_dtor(r);
  EXPECT_TRUE(g_closed.empty());
  zmem::ptr_dtor(copy);
  EXPECT_EQ(g_closed, std::vector<std::string>{"f"});
  EXPECT_EQ(zmem::live_resources(), 0u);
  EXPECT_EQ(usage(), baseline_);
}

// close: the destructor runs now; the value stays a valid, closed resource; fetching it fails.
TEST_F(Resources, ClosedResourceStaysValidAndFetchFails) {
  zmem::Zval r = open("f", file_type());
  EXPECT_EQ(zmem::fetch_resource(r.value.res, "fread", file_type()), static_cast<void*>(const_cast<char*>("f")));
  zmem::close_resource(r.value.res);
  EXPECT_EQ(g_closed, std::vector<std::string>{"f"});
  EXPECT_EQ(r.value.res->type, -1);
  EXPECT_EQ(zmem::fetch_resource(r.value.res, "ftell", file_type()), nullptr);
  EXPECT_EQ(zmem::last_error(), "ftell(): supplied resource is not a valid stream resource");
  zmem::close_resource(r.value.res);  // closing twice is harmless
  zmem::ptr_dtor(r);
  EXPECT_EQ(g_closed.size(), 1u);  // exactly once
}

// Fetching with the wrong type fails cleanly with PHP's message.
TEST_F(Resources, WrongTypeFetchFails) {
  zmem::Zval r = open("s", socket_type());
  EXPECT_EQ(zmem::fetch_resource(r.value.res, "fwrite", file_type()), nullptr);
  EXPECT_EQ(zmem::last_error(), "fwrite(): supplied resource is not a valid stream resource");
  std::string reported;
  zmem::set_error_handler([&](const std::string& m) { reported = m; });
  EXPECT_EQ(zmem::fetch_resource(nullptr, "fclose", file_type()), nullptr);
  EXPECT_EQ(reported, "fclose(): supplied resource is not a valid stream resource");
  zmem::set_error_handler(nullptr);
  zmem::ptr_dtor(r);
}

// Request end closes the open resources in reverse order of creation, even past a failure.
TEST_F(Resources, RequestEndClosesInReverseEvenAfterFailure) {
  int failing = zmem::register_resource_type("failing", failing_close);
  zmem::Zval a = open("a", file_type());
  zmem::Zval b = open("b", failing);
  zmem::Zval c = open("c", file_type());
  zmem::Zval d = open("d", file_type());
  zmem::close_resource(d.value.res);
  EXPECT_THROW(zmem::close_request_resources(), std::runtime_error);
  EXPECT_EQ(g_closed, (std::vector<std::string>{"d", "c", "b", "a"}));
  (void)a, (void)b, (void)c;
}

// Persistent resources survive requests and close with their persistent destructor at shutdown.
TEST_F(Resources, PersistentResourcesSurviveRequests) {
  g_persistent_closed = 0;
  std::size_t before = zmem::persistent_resource_count();
  for (int request = 0; request < 3; ++request) {
    zmem::Resource* r = zmem::find_persistent_resource("db:main");
    if (r == nullptr) r = zmem::register_persistent_resource("db:main", const_cast<char*>("conn"), file_type());
    EXPECT_EQ(r->handle, -1);
    EXPECT_EQ(zmem::fetch_resource(r, "query", file_type()), static_cast<void*>(const_cast<char*>("conn")));
    end_request();
  }
  EXPECT_EQ(zmem::persistent_resource_count(), before + 1);
  EXPECT_TRUE(g_closed.empty());
  zmem::destroy_persistent_resources();
  EXPECT_EQ(g_persistent_closed, 1);
  EXPECT_EQ(zmem::persistent_resource_count(), 0u);
}

// A destructor may call back into host code that allocates and frees values.
TEST_F(Resources, DestructorMayCallHostCode) {
  static int calls = 0;
  int t = zmem::register_resource_type("callback", [](zmem::Resource*) {
    zmem::Value v = zmem::Value::array();
    v[0] = zmem::Value("host");
    calls++;
  });
  zmem::Zval r = open("x", t);
  zmem::ptr_dtor(r);
  EXPECT_EQ(calls, 1);
}

}  // namespace
