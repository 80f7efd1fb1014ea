using System.Runtime.CompilerServices;

// Every native signature is blittable: pointers, spans and fixed-size integers only.
[assembly: DisableRuntimeMarshalling]

// The tests read what a figure shows (its plots) and the engine's caches, neither of which is public.
[assembly: InternalsVisibleTo("AnnScope.Tests")]
