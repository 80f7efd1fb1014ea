using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AnnScope.Interop;
using AnnScope.Tasks;

namespace AnnScope.Models;

/// <summary>
/// Trains a batch of independent HebbFF networks (science.md §2–3) in one native workspace: every instance has
/// its own parameters, Adam state, training sequence and test sequence, generated from (seed, instance).
/// One native call runs an epoch — forward over T steps, loss, exact full backpropagation through time, Adam —
/// for the whole batch, instances in parallel on the context's threads; results do not depend on the thread
/// count. <see cref="Train"/> and <see cref="TrainAsync"/> yield a checkpoint (test-sequence activations,
/// outputs, metrics) at epoch 0 and every k epochs. Not thread-safe: one operation at a time.
/// </summary>
public sealed unsafe class HebbffTrainer : IDisposable
{
    private readonly ComputeContext context;
    private readonly HebbffHandle workspace;
    private readonly HebbffLayout layout;
    private double[] lastTrainLoss;
    private int busy;
    private bool disposed;

    /// <summary>
    /// Validates <paramref name="config"/>, creates the native workspace, generates every instance's training and
    /// test sequences and sets the initial parameters (<see cref="HebbffState.Initial"/>).
    /// </summary>
    public HebbffTrainer(HebbffConfig config, ComputeContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        layout = new HebbffLayout(config.InputDim, config.Hidden);
        this.context = context ?? ComputeContext.Default;
        lastTrainLoss = NaNs(config.Instances);
        var native = new HebbffNativeConfig
        {
            Instances = config.Instances, InputDim = config.InputDim, Hidden = config.Hidden, TrainLength = config.Length,
            TestLength = config.Length, LearningRate = config.LearningRate,
            Beta1 = config.Beta1, Beta2 = config.Beta2, Epsilon = config.Epsilon, Plasticity = (int)config.Plasticity,
            Precision = (int)config.Precision,
        };
        workspace = HebbffHandle.Create(this.context.Handle, native);
        try
        {
            // one buffer for both roles (the native side keeps its own, int8 where exact): 120 MB at paper scale
            var (x, y) = GenerateSequences(config, SequenceRole.Train);
            SetSequences(SequenceRole.Train, x, y);
            FillSequences(config, SequenceRole.Test, x, y);
            SetSequences(SequenceRole.Test, x, y);
            ImportState(HebbffState.Initial(config));
        }
        catch
        {
            workspace.Dispose();
            throw;
        }
    }

    /// <summary>The settings this trainer runs.</summary>
    public HebbffConfig Config { get; }

    /// <summary>The packed parameter layout.</summary>
    public HebbffLayout Layout => layout;

    /// <summary>Epochs completed (Adam's step count).</summary>
    public int Epoch
    {
        get
        {
            ThrowIfDisposed();
            NativeStatus.Check(NativeMethods.HebbffGetStep(workspace, out var step));
            return checked((int)step);
        }
    }

    /// <summary>Bytes the native trainer holds: resident state, scratch per thread, and the peak on this context.</summary>
    public HebbffMemory Memory
    {
        get
        {
            ThrowIfDisposed();
            NativeStatus.Check(NativeMethods.HebbffMemory(workspace, out var resident, out var perThread));
            int threads = Math.Min(context.Threads, Config.Instances);
            return new HebbffMemory(resident, perThread, threads);
        }
    }

    /// <summary>Every instance's sequences of one role, (instances, T, N) and (instances, T), from the task of <paramref name="config"/>.</summary>
    public static (float[] X, float[] Y) GenerateSequences(HebbffConfig config, SequenceRole role)
    {
        config.Validate();
        long perX = (long)config.Length * config.InputDim;
        var x = new float[config.Instances * perX];
        var y = new float[(long)config.Instances * config.Length];
        FillSequences(config, role, x, y);
        return (x, y);
    }

    private static void FillSequences(HebbffConfig config, SequenceRole role, float[] x, float[] y)
    {
        var task = config.Task;
        long perX = (long)config.Length * config.InputDim;
        Parallel.For(0, config.Instances, b => task.Fill(config.Seed, config.SharedData ? 0 : config.FirstInstance + b, role,
            x.AsSpan((int)(b * perX), (int)perX), y.AsSpan(b * config.Length, config.Length)));
    }

    /// <summary>Replaces every instance's sequences of one role: x (instances, T, N), y (instances, T) with labels 0/1.</summary>
    public void SetSequences(SequenceRole role, ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        CheckSequenceShape(role, x.Length, y.Length);
        using var guard = Enter();
        if (Config.Precision == NumericPrecision.Float32)
        {
            fixed (float* px = x)
            fixed (float* py = y)
                NativeStatus.Check(NativeMethods.HebbffSetSequencesF32(context.Handle, workspace, (int)role, px, py));
        }
        else SetSequencesF64(role, Widen(x), Widen(y));
    }

    /// <inheritdoc cref="SetSequences(SequenceRole, ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    public void SetSequences(SequenceRole role, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        CheckSequenceShape(role, x.Length, y.Length);
        using var guard = Enter();
        if (Config.Precision == NumericPrecision.Float64) SetSequencesF64(role, x, y);
        else
        {
            var xf = Narrow(x);
            var yf = Narrow(y);
            fixed (float* px = xf)
            fixed (float* py = yf)
                NativeStatus.Check(NativeMethods.HebbffSetSequencesF32(context.Handle, workspace, (int)role, px, py));
        }
    }

    private void SetSequencesF64(SequenceRole role, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        fixed (double* px = x)
        fixed (double* py = y)
            NativeStatus.Check(NativeMethods.HebbffSetSequencesF64(context.Handle, workspace, (int)role, px, py));
    }

    private void CheckSequenceShape(SequenceRole role, long xLength, long yLength)
    {
        ThrowIfDisposed();
        if (!Enum.IsDefined(role)) throw new ArgumentException($"unknown sequence role {(int)role}");
        long wantX = (long)Config.Instances * Config.Length * Config.InputDim, wantY = (long)Config.Instances * Config.Length;
        if (xLength != wantX || yLength != wantY)
            throw new ArgumentException(
                $"sequences must be x ({Config.Instances}, {Config.Length}, {Config.InputDim}) = {wantX} values and y ({Config.Instances}, {Config.Length}) = {wantY}; got {xLength} and {yLength}");
    }

    /// <summary>Parameters, Adam moments and step count of every instance, exactly.</summary>
    public HebbffState ExportState()
    {
        using var guard = Enter();
        long n = (long)Config.Instances * layout.Count;
        var arrays = new double[3][];
        for (int which = 0; which < 3; which++)
        {
            arrays[which] = new double[n];
            if (Config.Precision == NumericPrecision.Float64)
            {
                fixed (double* p = arrays[which]) NativeStatus.Check(NativeMethods.HebbffGetStateF64(workspace, which, p));
            }
            else
            {
                var narrow = new float[n];
                fixed (float* p = narrow) NativeStatus.Check(NativeMethods.HebbffGetStateF32(workspace, which, p));
                for (long k = 0; k < n; k++) arrays[which][k] = narrow[k];
            }
        }
        NativeStatus.Check(NativeMethods.HebbffGetStep(workspace, out var step));
        return new HebbffState(Config.Instances, layout, step, arrays[0], arrays[1], arrays[2]);
    }

    /// <summary>
    /// Replaces parameters, Adam moments and step count (for resume). The whole state is checked first — shape,
    /// NaN/infinity, negative second moments — and nothing changes when it is refused. A float32 trainer rounds
    /// values to float32 (exact for a state it exported).
    /// </summary>
    public void ImportState(HebbffState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ThrowIfDisposed();
        state.Validate(Config.Instances, layout);
        using var guard = Enter();
        var arrays = new[] { state.Parameters, state.AdamM, state.AdamV };
        for (int which = 0; which < 3; which++)
        {
            if (Config.Precision == NumericPrecision.Float64)
            {
                fixed (double* p = arrays[which]) NativeStatus.Check(NativeMethods.HebbffSetStateF64(workspace, which, p));
            }
            else
            {
                var narrow = Narrow(arrays[which]);
                if (Array.FindIndex(narrow, v => !float.IsFinite(v)) is var bad and >= 0)
                    throw new ArithmeticException($"state value {arrays[which][bad]} overflows float32 ({layout.Describe(bad % layout.Count)})");
                fixed (float* p = narrow) NativeStatus.Check(NativeMethods.HebbffSetStateF32(workspace, which, p));
            }
        }
        NativeStatus.Check(NativeMethods.HebbffSetStep(workspace, state.Step));
        lastTrainLoss = NaNs(Config.Instances);
    }

    /// <summary>One epoch for every instance (forward, loss, full BPTT, Adam). Returns the losses before the step.</summary>
    public double[] TrainEpoch()
    {
        using var guard = Enter();
        var loss = new double[Config.Instances];
        fixed (double* l = loss) NativeStatus.Check(NativeMethods.HebbffTrainEpoch(context.Handle, workspace, l));
        lastTrainLoss = loss;
        return loss;
    }

    /// <summary>
    /// One epoch for every instance, as <see cref="TrainEpoch()"/> and with the same result, run in
    /// <paramref name="parts"/> calls over contiguous ranges of instances; <paramref name="beforePart"/> (given the part's
    /// index) runs before each and may change the context's threads, so that a caller sharing the cores can take or lend
    /// them within an epoch. On an OpenCL context the batch is one part.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> is below 1.</exception>
    public double[] TrainEpoch(int parts, Action<int>? beforePart)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        if (context.Backend != ComputeBackend.Mkl) parts = 1;
        parts = Math.Min(parts, Config.Instances);
        using var guard = Enter();
        var loss = new double[Config.Instances];
        NativeStatus.Check(NativeMethods.HebbffGetStep(workspace, out long step));
        for (int part = 0; part < parts; part++)
        {
            beforePart?.Invoke(part);
            int first = (int)((long)Config.Instances * part / parts), end = (int)((long)Config.Instances * (part + 1) / parts);
            fixed (double* l = &loss[first])
                NativeStatus.Check(NativeMethods.HebbffTrainInstances(context.Handle, workspace, first, end - first, l));
        }
        // the parts trained at step + 1 without advancing it: the epoch is complete only now
        NativeStatus.Check(NativeMethods.HebbffSetStep(workspace, step + 1));
        lastTrainLoss = loss;
        return loss;
    }

    /// <summary>The loss and exact full-BPTT gradient of every instance on its training sequence, without a step.</summary>
    public HebbffGradient ComputeGradient()
    {
        using var guard = Enter();
        long n = (long)Config.Instances * layout.Count;
        var gradient = new double[n];
        var loss = new double[Config.Instances];
        fixed (double* l = loss)
        {
            if (Config.Precision == NumericPrecision.Float64)
            {
                fixed (double* g = gradient) NativeStatus.Check(NativeMethods.HebbffGradientF64(context.Handle, workspace, g, l));
            }
            else
            {
                var narrow = new float[n];
                fixed (float* g = narrow) NativeStatus.Check(NativeMethods.HebbffGradientF32(context.Handle, workspace, g, l));
                for (long k = 0; k < n; k++) gradient[k] = narrow[k];
            }
        }
        return new HebbffGradient(gradient, loss);
    }

    /// <summary>
    /// Runs every instance's test sequence from A = 0 with the current parameters into caller-owned spans:
    /// activations a(t) and hidden h(t) (instances, T, M), outputs ŷ(t) (instances, T), metrics (instances).
    /// An empty span skips that output.
    /// </summary>
    public void Evaluate(Span<float> activations, Span<float> hidden, Span<float> outputs, Span<HebbffMetrics> metrics)
    {
        CheckEvaluationShape(activations.Length, hidden.Length, outputs.Length, metrics.Length);
        using var guard = Enter();
        if (Config.Precision == NumericPrecision.Float32)
        {
            EvaluateF32(activations, hidden, outputs, metrics);
            return;
        }
        double[] a64 = activations.IsEmpty ? [] : new double[activations.Length];
        double[] h64 = hidden.IsEmpty ? [] : new double[hidden.Length];
        double[] o64 = outputs.IsEmpty ? [] : new double[outputs.Length];
        EvaluateF64(a64, h64, o64, metrics);
        Narrow(a64).CopyTo(activations);
        Narrow(h64).CopyTo(hidden);
        Narrow(o64).CopyTo(outputs);
    }

    /// <inheritdoc cref="Evaluate(Span{float}, Span{float}, Span{float}, Span{HebbffMetrics})"/>
    public void Evaluate(Span<double> activations, Span<double> hidden, Span<double> outputs, Span<HebbffMetrics> metrics)
    {
        CheckEvaluationShape(activations.Length, hidden.Length, outputs.Length, metrics.Length);
        using var guard = Enter();
        if (Config.Precision == NumericPrecision.Float64)
        {
            EvaluateF64(activations, hidden, outputs, metrics);
            return;
        }
        float[] a32 = activations.IsEmpty ? [] : new float[activations.Length];
        float[] h32 = hidden.IsEmpty ? [] : new float[hidden.Length];
        float[] o32 = outputs.IsEmpty ? [] : new float[outputs.Length];
        EvaluateF32(a32, h32, o32, metrics);
        Widen(a32).CopyTo(activations);
        Widen(h32).CopyTo(hidden);
        Widen(o32).CopyTo(outputs);
    }

    private void EvaluateF32(Span<float> activations, Span<float> hidden, Span<float> outputs, Span<HebbffMetrics> metrics)
    {
        HebbffNativeMetrics[] native = metrics.IsEmpty ? [] : new HebbffNativeMetrics[metrics.Length];
        fixed (float* a = activations)
        fixed (float* h = hidden)
        fixed (float* o = outputs)
        fixed (HebbffNativeMetrics* m = native)
            NativeStatus.Check(NativeMethods.HebbffEvaluateF32(context.Handle, workspace, Null(a, activations.Length),
                Null(h, hidden.Length), Null(o, outputs.Length), Null(m, native.Length)));
        CopyMetrics(native, metrics);
    }

    private void EvaluateF64(Span<double> activations, Span<double> hidden, Span<double> outputs, Span<HebbffMetrics> metrics)
    {
        HebbffNativeMetrics[] native = metrics.IsEmpty ? [] : new HebbffNativeMetrics[metrics.Length];
        fixed (double* a = activations)
        fixed (double* h = hidden)
        fixed (double* o = outputs)
        fixed (HebbffNativeMetrics* m = native)
            NativeStatus.Check(NativeMethods.HebbffEvaluateF64(context.Handle, workspace, Null(a, activations.Length),
                Null(h, hidden.Length), Null(o, outputs.Length), Null(m, native.Length)));
        CopyMetrics(native, metrics);
    }

    private static void CopyMetrics(ReadOnlySpan<HebbffNativeMetrics> native, Span<HebbffMetrics> metrics)
    {
        for (int i = 0; i < native.Length; i++)
        {
            var n = native[i];
            metrics[i] = new HebbffMetrics(n.Loss, n.Accuracy, n.Tpr, n.Fpr, n.BalancedAccuracy, n.PaperAccuracy, n.FamiliarFraction,
                n.Lambda, n.Eta);
        }
    }

    private void CheckEvaluationShape(long activations, long hidden, long outputs, long metrics)
    {
        ThrowIfDisposed();
        long units = (long)Config.Instances * Config.Length * Config.Hidden, steps = (long)Config.Instances * Config.Length;
        string shape = $"({Config.Instances}, {Config.Length}, {Config.Hidden})";
        if (activations != 0 && activations != units)
            throw new ArgumentException($"activations must hold {shape} = {units} values, got {activations}");
        if (hidden != 0 && hidden != units) throw new ArgumentException($"hidden must hold {shape} = {units} values, got {hidden}");
        if (outputs != 0 && outputs != steps)
            throw new ArgumentException($"outputs must hold ({Config.Instances}, {Config.Length}) = {steps} values, got {outputs}");
        if (metrics != 0 && metrics != Config.Instances)
            throw new ArgumentException($"metrics must hold {Config.Instances} entries, got {metrics}");
    }

    /// <summary>Evaluates the test sequences now (see <see cref="HebbffCheckpoint"/>); <paramref name="includeHidden"/> adds h(t).</summary>
    public HebbffCheckpoint Evaluate(bool includeHidden = false)
    {
        ThrowIfDisposed();
        long units = (long)Config.Instances * Config.Length * Config.Hidden;
        var activations = new float[units];
        var hidden = includeHidden ? new float[units] : null;
        var outputs = new float[(long)Config.Instances * Config.Length];
        var metrics = new HebbffMetrics[Config.Instances];
        int epoch = Epoch;
        Evaluate(activations, hidden, outputs, metrics);
        return new HebbffCheckpoint(epoch, Config.Instances, Config.Length, Config.Hidden, activations, hidden, outputs, metrics,
            (double[])lastTrainLoss.Clone());
    }

    /// <summary>
    /// Trains to <see cref="HebbffConfig.Epochs"/>, yielding a checkpoint at the start when no epoch has run yet
    /// and after every epoch that is a multiple of k. A resumed trainer (after <see cref="ImportState"/>) continues
    /// from its step count and does not repeat the checkpoint it stopped at. Training waits while the caller
    /// handles a checkpoint; <see cref="TrainAsync"/> overlaps the two.
    /// </summary>
    public IEnumerable<HebbffCheckpoint> Train(bool includeHidden = false, CancellationToken cancellation = default)
    {
        ThrowIfDisposed();
        return Run(includeHidden, cancellation);
    }

    private IEnumerable<HebbffCheckpoint> Run(bool includeHidden, CancellationToken cancellation)
    {
        int start = Epoch;
        if (start > Config.Epochs)
            throw new InvalidOperationException($"the trainer is at epoch {start}, beyond the configured {Config.Epochs}");
        if (start == 0) yield return Evaluate(includeHidden);
        for (int epoch = start + 1; epoch <= Config.Epochs; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            TrainEpoch();
            if (epoch % Config.CheckpointEvery == 0) yield return Evaluate(includeHidden);
        }
    }

    /// <summary>
    /// <see cref="Train"/> on a background thread: checkpoints are produced while the caller analyses earlier
    /// ones, at most <paramref name="buffered"/> waiting (each holds instances × T × M floats).
    /// </summary>
    public async IAsyncEnumerable<HebbffCheckpoint> TrainAsync(bool includeHidden = false, int buffered = 1,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buffered, 1);
        ThrowIfDisposed();
        var channel = Channel.CreateBounded<HebbffCheckpoint>(new BoundedChannelOptions(buffered) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var checkpoint in Run(includeHidden, stop.Token)) await channel.Writer.WriteAsync(checkpoint, stop.Token);
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var checkpoint in channel.Reader.ReadAllAsync(cancellation)) yield return checkpoint;
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
        }
    }

    /// <summary>Releases the native workspace. Later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        disposed = true;
        workspace.Dispose();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    /// <summary>Marks the trainer busy for one native operation; overlapping use is refused rather than raced.</summary>
    private Busy Enter()
    {
        ThrowIfDisposed();
        if (Interlocked.Exchange(ref busy, 1) != 0)
            throw new InvalidOperationException("the trainer is in use by another operation (it serves one call at a time)");
        return new Busy(this);
    }

    private readonly struct Busy(HebbffTrainer owner) : IDisposable
    {
        public void Dispose() => Volatile.Write(ref owner.busy, 0);
    }

    private static T* Null<T>(T* p, int length) where T : unmanaged => length == 0 ? null : p;

    private static double[] NaNs(int n)
    {
        var a = new double[n];
        Array.Fill(a, double.NaN);
        return a;
    }

    private static double[] Widen(ReadOnlySpan<float> values)
    {
        var wide = new double[values.Length];
        for (int i = 0; i < values.Length; i++) wide[i] = values[i];
        return wide;
    }

    private static float[] Narrow(ReadOnlySpan<double> values)
    {
        var narrow = new float[values.Length];
        for (int i = 0; i < values.Length; i++) narrow[i] = (float)values[i];
        return narrow;
    }
}

/// <summary>Loss (instances) and gradient (instances, <see cref="HebbffLayout.Count"/>) of every instance on its training sequence.</summary>
public sealed record HebbffGradient(double[] Values, double[] Loss);

/// <summary>Native memory of a trainer: resident state, scratch per thread, threads used; <see cref="PeakBytes"/> = resident + threads × scratch.</summary>
public readonly record struct HebbffMemory(long ResidentBytes, long PerThreadBytes, int Threads)
{
    /// <summary>The most the native trainer holds during an epoch.</summary>
    public long PeakBytes => ResidentBytes + Threads * PerThreadBytes;
}
