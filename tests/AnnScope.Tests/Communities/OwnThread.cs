namespace AnnScope.Tests.Communities;

/// <summary>Runs a check on a thread of its own: what the engine keeps between runs is kept per thread.</summary>
internal static class OwnThread
{
    public static void Run(Action check)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { check(); }
            catch (Exception e) { failure = e; }
        });
        thread.Start();
        thread.Join();
        if (failure != null) throw new Xunit.Sdk.XunitException(failure.ToString());
    }
}
