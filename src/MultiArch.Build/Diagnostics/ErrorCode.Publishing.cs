namespace MultiArch.Build.Diagnostics;

public static partial class ErrorCode
{
    /// <summary>ContainerPlatforms is set on a project that is not an application.</summary>
    public const string NotAnApplication = "MAB3001";
    /// <summary>The project targets several frameworks and none was chosen.</summary>
    public const string NoTargetFrameworkChosen = "MAB3002";
    /// <summary>ContainerRepository cannot be made into a valid repository name.</summary>
    public const string InvalidRepository = "MAB3003";
    /// <summary>A tag in ContainerImageTags is not a valid tag.</summary>
    public const string InvalidTag = "MAB3004";
    /// <summary>The target framework version gives no base image tag.</summary>
    public const string UnknownTargetFramework = "MAB3005";
    /// <summary>Retired: MSBuild.exe (.NET Framework) once could not run the tasks; it now loads tasks/net472/. Never reused.</summary>
    public const string UnsupportedMSBuild = "MAB3006";
    /// <summary>A ContainerPlatform item names a platform that ContainerPlatforms does not list.</summary>
    public const string PlatformOverrideNotListed = "MAB3007";
    /// <summary>A published file an inner build reported is missing.</summary>
    public const string PublishedFileMissing = "MAB3009";
    /// <summary>ContainerImageFormat is neither OCI nor Docker.</summary>
    public const string InvalidImageFormat = "MAB3010";
    /// <summary>Retired, never reused: Windows platforms were refused before Windows layers (Files/ and Hives/) were written; they are built now.</summary>
    public const string WindowsImagesNotSupported = "MAB3011";
    /// <summary>ContainerAppCommandInstruction is not Entrypoint, DefaultArgs or None.</summary>
    public const string InvalidAppCommandInstruction = "MAB3012";
    /// <summary>The entrypoint and app command items contradict each other or the chosen ContainerAppCommandInstruction.</summary>
    public const string ConflictingStartCommand = "MAB3013";
    /// <summary>The runner (the .NET process the .NET Framework tasks, or MultiArchOutOfProcess, run the work in) could not be started: no dotnet, or the runner is missing. The contract assembly raises it (RunnerException).</summary>
    public const string RunnerNotStarted = "MAB3014";
    /// <summary>The runner ended before it reported a result: a crash, or no .NET 8 or later runtime for it.</summary>
    public const string RunnerEndedWithoutResult = "MAB3015";
    /// <summary>A file or folder could not be read or written (a full disk, missing permissions, a file where a folder is needed).</summary>
    public const string FileSystemFailure = "MAB3998";
    /// <summary>A failure MultiArch.Build has no specific error for reached a task: a bug to report.</summary>
    public const string UnexpectedFailure = "MAB3999";

    /// <summary>Warning: ContainerRepository had characters a repository cannot have and was normalized.</summary>
    public const string RepositoryNormalized = "MAB3101";
    /// <summary>Warning: ContainerPushByDigest is set together with tags, which it does not apply.</summary>
    public const string PushByDigestIgnoresTags = "MAB3102";
}
