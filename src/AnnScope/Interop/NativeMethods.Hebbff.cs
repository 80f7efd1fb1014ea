using System.Runtime.InteropServices;

namespace AnnScope.Interop;

/// <summary>annscope_hebbff_config (annscope.h), field for field.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct HebbffNativeConfig
{
    public long Instances, InputDim, Hidden, TrainLength, TestLength;
    public double LearningRate, Beta1, Beta2, Epsilon;
    public int Plasticity, Precision;
}

/// <summary>
/// annscope_hebbff_metrics (annscope.h), field for field: the ABI mirror of the public HebbffMetrics record, kept
/// here so that reordering the record's properties can never change what native code writes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct HebbffNativeMetrics
{
    public double Loss, Accuracy, Tpr, Fpr, BalancedAccuracy, PaperAccuracy, FamiliarFraction, Lambda, Eta;
}

/// <summary>The HebbFF trainer exports of libannscope (native/include/annscope.h).</summary>
internal static unsafe partial class NativeMethods
{
    internal const int HebbffTrain = 0, HebbffTest = 1;
    internal const int HebbffParams = 0, HebbffAdamM = 1, HebbffAdamV = 2;

    [LibraryImport(Library, EntryPoint = "annscope_hebbff_create")]
    internal static partial int HebbffCreate(ContextHandle context, HebbffNativeConfig* config, out nint workspace);

    [LibraryImport(Library, EntryPoint = "annscope_hebbff_destroy")]
    internal static partial int HebbffDestroy(nint workspace);

    [LibraryImport(Library, EntryPoint = "annscope_hebbff_set_sequences_f32")]
    internal static partial int HebbffSetSequencesF32(ContextHandle context, HebbffHandle workspace, int role, float* x, float* y);

    [LibraryImport(Library, EntryPoint = "annscope_hebbff_set_sequences_f64")]
    internal static partial int HebbffSetSequencesF64(ContextHandle context, HebbffHandle workspace, int role, double* x, double* y);

    [LibraryImport(Library, EntryPoint = "annscope_hebbff_get_state_f32")]
    internal static partial int HebbffGetStateF32(HebbffHandle workspace, int which, float* output);

    [LibraryImport(Library, EntryPoint = "annscope_hebbff_set_state_f32")]
    internal static partial int HebbffSetStateF32(HebbffHandle workspace, int which, float* values);

    [LibraryImport(Library, EntryPoint = "annscope_hebbff_get_state_f64")]
    internal static partial int HebbffGetStateF64(HebbffHandle workspace, int which, double* output);

    [LibraryImport(Library, EntryPoint = "annscope_hebbff_set_state_f64")]
    internal static partial int HebbffSetStateF64(HebbffHandle workspace, int which, double* values);

    [LibraryImport(Library, EntryPoint = "annscope_hebbff_get_step")]
    internal static partial int HebbffGetStep(HebbffHandle workspace, out long step);

    [LibraryImport(Library, EntryPoint = "annscope_hebbff_set_step")]
    internal static partial int HebbffSetStep(HebbffHandle workspace, long step);

    [LibraryImport(Library, EntryPoint = "annscope_hebbff_train_epoch")]
    internal static partial int HebbffTrainEpoch(ContextHandle context, HebbffHandle workspace, double* loss);

    [LibraryImport(Library, EntryPoint = "annscope_hebbff_train_instances")]
    internal static partial int HebbffTrainInstances(ContextHandle context, HebbffHandle workspace, long first, long count, double* loss);

    [LibraryImport(Library, EntryPoint = "annscope_hebbff_gradient_f32")]
    internal static partial int HebbffGradientF32(ContextHandle context, HebbffHandle workspace, float* gradient, double* loss);

    [LibraryImport(Library, EntryPoint = "annscope_hebbff_gradient_f64")]
    internal static partial int HebbffGradientF64(ContextHandle context, HebbffHandle workspace, double* gradient, double* loss);

    [LibraryImport(Library, EntryPoint = "annscope_hebbff_evaluate_f32")]
    internal static partial int HebbffEvaluateF32(ContextHandle context, HebbffHandle workspace, float* activations, float* hidden,
        float* outputs, HebbffNativeMetrics* metrics);

    [LibraryImport(Library, EntryPoint = "annscope_hebbff_evaluate_f64")]
    internal static partial int HebbffEvaluateF64(ContextHandle context, HebbffHandle workspace, double* activations, double* hidden,
        double* outputs, HebbffNativeMetrics* metrics);

    [LibraryImport(Library, EntryPoint = "annscope_hebbff_memory")]
    internal static partial int HebbffMemory(HebbffHandle workspace, out long resident, out long perThread);
}
