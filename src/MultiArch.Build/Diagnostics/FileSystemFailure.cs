using System.Net.Sockets;

namespace MultiArch.Build.Diagnostics;

/// <summary>
/// What a failed file or folder operation means for the user: a full disk, missing permissions, a read-only disk, a
/// file where a folder is needed. The exception type does not always say it: on Unix .NET reports ENOSPC, EROFS and
/// ENOTDIR as a plain <see cref="IOException"/> whose HResult is the errno, on Windows as an HRESULT.
/// </summary>
public static class FileSystemFailure
{
    private enum Kind { Other, DiskFull, Denied, ReadOnly, NotAFolder, Missing, InTheWay }

    /// <summary>True for a failure of the local file system, not of a network stream (which .NET reports as IOException too).</summary>
    public static bool Is(Exception exception) => exception switch
    {
        UnauthorizedAccessException => true,
        EndOfStreamException => false,
        IOException io => io.GetType().Namespace == "System.IO" && io.InnerException is not SocketException,
        _ => false,
    };

    public static bool IsDiskFull(Exception exception) => KindOf(exception) == Kind.DiskFull;

    /// <summary>What to do about it, as one or two sentences.</summary>
    /// <param name="path">The path being written, if known: .NET reports a file standing where a folder is needed as a missing folder, and the path tells them apart.</param>
    public static string Advice(Exception exception, string? path = null) => KindOf(exception, path) switch
    {
        Kind.DiskFull => "The disk is full (or the user is over quota): free space on it, or write to another disk.",
        Kind.Denied => "Permission was denied: check that the build may write there (owner, mode, a read-only mount).",
        Kind.ReadOnly => "The file system is read-only: write somewhere else.",
        Kind.NotAFolder => "A part of the path is a file where a folder is needed: remove or rename that file, or choose another path.",
        Kind.Missing => "A file or folder is missing: check the path, and that nothing else removes it while the build runs.",
        Kind.InTheWay => "Something already stands at that path (a file where a folder is needed, or the reverse): remove or rename it, or choose another path.",
        _ => "Check the disk and the path, then try again.",
    };

    /// <summary>The nearest folder above <paramref name="path"/> (or the path itself) that is a file, or null.</summary>
    public static string? FileInTheWay(string path)
    {
        for (string? current = Path.GetFullPath(path); !string.IsNullOrEmpty(current); current = Path.GetDirectoryName(current))
        {
            if (File.Exists(current)) return current;
            if (Directory.Exists(current)) return null;
        }
        return null;
    }

    private static Kind KindOf(Exception exception, string? path = null)
    {
        switch (exception)
        {
            case UnauthorizedAccessException:
                return Kind.Denied;
            case FileNotFoundException or DirectoryNotFoundException:
                return path is not null && FileInTheWay(path) is not null ? Kind.NotAFolder : Kind.Missing;
        }
        int code = exception.HResult;
        if (OperatingSystem.IsWindows())
        {
            return (code & 0xFFFF) switch
            {
                80 or 183 => Kind.InTheWay, // ERROR_FILE_EXISTS, ERROR_ALREADY_EXISTS
                39 or 112 => Kind.DiskFull, // ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
                19 => Kind.ReadOnly, // ERROR_WRITE_PROTECT
                5 => Kind.Denied, // ERROR_ACCESS_DENIED
                _ => Kind.Other,
            };
        }
        bool mac = OperatingSystem.IsMacOS();
        return code switch
        {
            28 => Kind.DiskFull, // ENOSPC
            122 when !mac => Kind.DiskFull, // EDQUOT (Linux)
            69 when mac => Kind.DiskFull, // EDQUOT (macOS)
            30 => Kind.ReadOnly, // EROFS
            20 => Kind.NotAFolder, // ENOTDIR
            17 => Kind.InTheWay, // EEXIST
            1 or 13 => Kind.Denied, // EPERM, EACCES
            _ => Kind.Other,
        };
    }
}
