using System.Runtime.CompilerServices;

// Every native signature is blittable: pointers, spans and fixed-size integers only.
[assembly: DisableRuntimeMarshalling]
