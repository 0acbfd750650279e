namespace Farm.Device.Tests.Transports;

/// <summary>A fact that only means something on Linux; reported as skipped (visibly) elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Linux-only: it calls the Linux kernel interface";
        }
    }
}
