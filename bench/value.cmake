# value_bench: zmem's HashTable against PHP's zend_hash from Debian's libphp8.2.so in the same
# binary, plus std::unordered_map / std::map for scale (see value_bench.cpp).
# The zend_* functions are declared by hand (no PHP headers needed).  Without the library the
# zend column is left out, and with it the anchor for the ratios.
find_library(ZMEM_VALUE_BENCH_LIBPHP NAMES php8.2 php PATHS /usr/lib /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE})

add_executable(value_bench ${CMAKE_CURRENT_SOURCE_DIR}/value_bench.cpp)
target_link_libraries(value_bench PRIVATE zmem benchmark::benchmark pthread)
if(ZMEM_VALUE_BENCH_LIBPHP)
  target_compile_definitions(value_bench PRIVATE ZMEM_BENCH_HAVE_LIBPHP=1)
  target_link_libraries(value_bench PRIVATE ${ZMEM_VALUE_BENCH_LIBPHP})
else()
  message(WARNING "value_bench: libphp8.2.so not found (apt install libphp8.2-embed); "
                  "building without the zend_hash anchor")
endif()
