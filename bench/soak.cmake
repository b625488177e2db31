# soak_bench: the threaded server example (examples/threaded_server.cpp) at full size, built
# here so it exists even when examples are off.  `cmake --build <dir> --target soak_full`
# serves 1,000,000 requests with 1 thread and then with 2 (--scaling): every check of the
# example (requests accounted for, destructors exactly once, peak RSS growth < 1 MiB after
# warm-up) on both runs, requests/s of each and their ratio.  Exit status 1 if a check fails.
add_executable(soak_bench ${PROJECT_SOURCE_DIR}/examples/threaded_server.cpp)
target_link_libraries(soak_bench PRIVATE zmem)
add_custom_target(soak_full
  COMMAND /usr/bin/time -f "%e s, max RSS %M KiB" $<TARGET_FILE:soak_bench> --threads 2 --requests 1000000 --scaling
  DEPENDS soak_bench
  USES_TERMINAL
  COMMENT "soak: 1,000,000 requests on 1 and 2 threads")
