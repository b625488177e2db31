# heap_bench: zmem against the real ZendMM (Debian's libphp8.2.so), glibc malloc, mimalloc
# heaps and std::pmr::unsynchronized_pool_resource, in one binary (see heap_bench.cpp).
#
# ZendMM: the binary links libphp8.2.so (package libphp8.2-embed) and declares the five
# zend_mm functions itself, so no PHP headers are needed.  Without the library the zendmm
# column is left out (and there is no anchor for the ratios).
# mimalloc: loaded at run time with dlopen (package libmimalloc2.0), never linked: Debian's
# libmimalloc.so exports malloc/free and would replace glibc malloc in the whole process.
find_library(ZMEM_BENCH_LIBPHP NAMES php8.2 php PATHS /usr/lib /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE})

add_executable(heap_bench ${CMAKE_CURRENT_SOURCE_DIR}/heap_bench.cpp)
target_link_libraries(heap_bench PRIVATE zmem benchmark::benchmark ${CMAKE_DL_LIBS} pthread)
if(ZMEM_BENCH_LIBPHP)
  target_compile_definitions(heap_bench PRIVATE ZMEM_BENCH_HAVE_ZENDMM=1)
  target_link_libraries(heap_bench PRIVATE ${ZMEM_BENCH_LIBPHP})
else()
  message(WARNING "heap_bench: libphp8.2.so not found (apt install libphp8.2-embed); "
                  "building without the ZendMM anchor")
endif()
