namespace MultiArch.Build.Layers;

/// <summary>What a layer entry becomes in the tar: a regular file, a directory or a symlink.</summary>
public enum LayerEntryKind
{
    File,
    Directory,
    Symlink,
}
