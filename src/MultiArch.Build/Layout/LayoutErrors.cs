using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Layout;

/// <summary>
/// The coded errors for a layout directory or archive that cannot be written, naming what the user chose (the layout
/// folder, or the archive rather than the staging folder it is assembled in) and the setting that chooses it.
/// </summary>
internal sealed class LayoutErrors
{
    private readonly string _what;
    private readonly string _path;
    private readonly string _setting;
    private readonly string _keptNew;
    private readonly string _keptExisting;

    private LayoutErrors(string what, string path, string setting, string keptNew, string keptExisting)
    {
        _what = what;
        _path = path;
        _setting = setting;
        _keptNew = keptNew;
        _keptExisting = keptExisting;
    }

    public static LayoutErrors ForLayout(string root) =>
        new("OCI layout", root, "ContainerLayoutPath", "Nothing was left behind.", "The layout still holds what it held before; its index.json is unchanged.");

    /// <param name="existed">Whether the archive exists already: a failure leaves it as it is (it is replaced only whole).</param>
    public static LayoutErrors ForArchive(string archivePath, bool existed)
    {
        string kept = existed ? "The archive is unchanged." : "No archive was written.";
        return new("OCI layout archive", archivePath, "ContainerArchiveOutputPath", kept, kept);
    }

    /// <summary>The path cannot hold a layout: a file stands in it, or it cannot be created or written.</summary>
    public MabException PathUnusable(Exception cause)
    {
        string? file = FileSystemFailure.FileInTheWay(_path);
        string why = file == _path ? $"it is a file, not a folder. Remove it, or choose another {_setting}."
            : file is not null ? $"'{file}' is a file, so no folder can be made under it. Remove or rename it, or choose another {_setting}."
            : $"{cause.Message} {FileSystemFailure.Advice(cause, _path)} Or choose another {_setting}.";
        return new MabException(ErrorCode.LayoutPathUnusable, $"The {_what} cannot be written at '{_path}': {why}", cause);
    }

    /// <summary>Writing failed part way; <paramref name="wasNew"/> says whether anything existed before (and so what is left).</summary>
    public MabException WriteFailed(Exception cause, bool wasNew) =>
        new(ErrorCode.LayoutWriteFailed,
            $"Writing the {_what} at '{_path}' failed: {cause.Message} {FileSystemFailure.Advice(cause, _path)} " +
            (wasNew ? _keptNew : _keptExisting),
            cause);
}
