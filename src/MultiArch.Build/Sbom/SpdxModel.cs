using System.Text.Json.Serialization;

namespace MultiArch.Build.Sbom;

// The SPDX 2.3 JSON fields an image SBOM uses (spec clauses 6, 7 and 11). Names are the spec's JSON names; nulls are
// left out; SbomJson writes every object with its keys sorted, whatever the declaration order here.

public sealed class SpdxDocument
{
    [JsonPropertyName("spdxVersion")] public string SpdxVersion { get; set; } = "SPDX-2.3";
    [JsonPropertyName("dataLicense")] public string DataLicense { get; set; } = "CC0-1.0";
    [JsonPropertyName("SPDXID")] public string SpdxId { get; set; } = "SPDXRef-DOCUMENT";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("documentNamespace")] public string DocumentNamespace { get; set; } = "";
    [JsonPropertyName("creationInfo")] public SpdxCreationInfo CreationInfo { get; set; } = new();
    [JsonPropertyName("packages")] public List<SpdxPackage> Packages { get; set; } = [];
    [JsonPropertyName("relationships")] public List<SpdxRelationship> Relationships { get; set; } = [];
}

public sealed class SpdxCreationInfo
{
    [JsonPropertyName("created")] public string Created { get; set; } = "";
    [JsonPropertyName("creators")] public List<string> Creators { get; set; } = [];
}

public sealed class SpdxPackage
{
    [JsonPropertyName("SPDXID")] public string SpdxId { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("versionInfo")] public string? VersionInfo { get; set; }
    [JsonPropertyName("primaryPackagePurpose")] public string? PrimaryPackagePurpose { get; set; }
    [JsonPropertyName("supplier")] public string? Supplier { get; set; }
    [JsonPropertyName("downloadLocation")] public string DownloadLocation { get; set; } = "NOASSERTION";
    [JsonPropertyName("filesAnalyzed")] public bool FilesAnalyzed { get; set; }
    [JsonPropertyName("licenseConcluded")] public string? LicenseConcluded { get; set; }
    [JsonPropertyName("licenseDeclared")] public string? LicenseDeclared { get; set; }
    [JsonPropertyName("copyrightText")] public string? CopyrightText { get; set; }
    [JsonPropertyName("checksums")] public List<SpdxChecksum>? Checksums { get; set; }
    [JsonPropertyName("externalRefs")] public List<SpdxExternalRef>? ExternalRefs { get; set; }
}

public sealed class SpdxChecksum
{
    [JsonPropertyName("algorithm")] public string Algorithm { get; set; } = "";
    [JsonPropertyName("checksumValue")] public string ChecksumValue { get; set; } = "";
}

public sealed class SpdxExternalRef
{
    [JsonPropertyName("referenceCategory")] public string ReferenceCategory { get; set; } = "PACKAGE-MANAGER";
    [JsonPropertyName("referenceType")] public string ReferenceType { get; set; } = "purl";
    [JsonPropertyName("referenceLocator")] public string ReferenceLocator { get; set; } = "";
}

public sealed class SpdxRelationship
{
    [JsonPropertyName("spdxElementId")] public string SpdxElementId { get; set; } = "";
    [JsonPropertyName("relationshipType")] public string RelationshipType { get; set; } = "";
    [JsonPropertyName("relatedSpdxElement")] public string RelatedSpdxElement { get; set; } = "";
}
