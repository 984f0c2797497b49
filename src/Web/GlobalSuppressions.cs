using System.Diagnostics.CodeAnalysis;

// Razor takes a component's namespace from its folder, and Components/Shared is Blazor's folder for shared components;
// "Shared" is reserved only in Visual Basic, which nothing here is written in or consumed from.
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace", Target = "~N:WeightShare.Web.Components.Shared", Justification = "Blazor's Components/Shared folder names the namespace; Shared is a VB-only keyword.")]
