/*
 * A stand-in for Windows' bcryptprimitives.dll, for the Wine test only.
 *
 * Go programs since Go 1.22 read random bytes through ProcessPrng in
 * bcryptprimitives.dll, which every Windows 10 and 11 has but Debian 12's
 * Wine 8.0 lacks, so a Go .exe stops at start-up there. This DLL exports
 * ProcessPrng on top of RtlGenRandom (advapi32's SystemFunction036), which
 * Wine implements with the host's random source. It is copied into the test's
 * Wine prefix, never into the installer.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
