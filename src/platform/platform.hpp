// Platform layer: the only place that talks to the OS.  Maps 2 MiB-aligned
// chunks and huge regions, returns pages to the OS, grows huge mappings in
// place, and supplies random secrets.  Every function reports failure by
// returning nullptr / false; callers decide what error to raise.
// Counterpart: zend_mm_chunk_alloc_int / zend_mm_mmap / zend_mm_munmap.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zmem::platform {

inline constexpr std::size_t kOsPageSize = 4096;

/// Maps `size` bytes (a multiple of kOsPageSize) aligned to `alignment` (a power of two
/// >= kOsPageSize).  Memory is zero-filled.  nullptr if the OS refuses.
void* map_aligned(std::size_t size, std::size_t alignment) noexcept;
/// Unmaps a region obtained from map_aligned (or a page-aligned tail of one).
void unmap(void* p, std::size_t size) noexcept;
/// Tells the OS the pages' contents are no longer needed; they read back as zero.
void discard(void* p, std::size_t size) noexcept;
/// Asks the OS to back the range with transparent huge pages (2 MiB) where it can: one
/// fault per 2 MiB instead of 512.  Only worth it for memory that will be filled.
void advise_huge_pages(void* p, std::size_t size) noexcept;
/// Withdraws that advice: the range gets small pages only.
void advise_small_pages(void* p, std::size_t size) noexcept;
/// Grows a mapping (one VMA) without moving it; false if the address range after it is taken.
bool remap_in_place(void* p, std::size_t old_size, std::size_t new_size) noexcept;
/// Maps `size` fresh bytes exactly at `p`; false (nothing mapped) if any of the range is taken.
bool map_at(void* p, std::size_t size) noexcept;
/// Whether every page of [p, p + size) is mapped.
bool is_mapped(void* p, std::size_t size) noexcept;
/// Moves the pages of [from, from + from_size) (one VMA) to `to`, resized to `to_size`,
/// without copying; the source range is unmapped.  On failure the source is untouched but
/// the destination range may have been unmapped already (kernels before 6.17 unmap it
/// before they check the source).
bool move_pages(void* from, std::size_t from_size, void* to, std::size_t to_size) noexcept;
/// The process's resident memory now and its peak so far (ru_maxrss), in bytes; false where the
/// OS does not tell.
bool resident_memory(std::size_t* now, std::size_t* peak) noexcept;
/// How many bytes of [p, p + size) (page-aligned) are resident, in *out; false if the OS
/// does not tell.
bool resident_bytes(const void* p, std::size_t size, std::size_t* out) noexcept;
/// Reserves `size` bytes of address space that read as zero and cost nothing until touched.
void* reserve_zeroed(std::size_t size) noexcept;
/// 64 random bits from the OS (getrandom), falling back to address and time entropy.
std::uint64_t random_u64() noexcept;

}  // namespace zmem::platform

namespace zmem::platform {

/// Fills `frames` with up to `max` return addresses of the caller's stack, skipping `skip`
/// innermost frames; returns how many were stored.
int capture_stack(void** frames, int max, int skip) noexcept;
/// Writes one line per frame to `out` (a FILE*): "    #N 0xADDR function+0xOFF (file:line)",
/// file:line where debug info is there (libdw), the function from the symbol tables.
void print_stack(void* out, void* const* frames, int count) noexcept;

}  // namespace zmem::platform
