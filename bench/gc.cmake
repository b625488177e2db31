# gc_bench: zmem's cycle collector (zmem::gc_collect_cycles) on rings of objects and on a large
# live graph; bench/gc/run.sh compares it with PHP's own gc_collect_cycles() (see bench/gc/README.md).
add_executable(gc_bench ${CMAKE_CURRENT_SOURCE_DIR}/gc_bench.cpp)
target_link_libraries(gc_bench PRIVATE zmem benchmark::benchmark pthread)
