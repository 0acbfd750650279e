using System.CommandLine;
using Farm.Controller.Api;
using Farm.Controller.Api.Auth;

namespace Farm.Controller.Cli;

/// <summary>
/// <c>--auth FILE</c> and <c>--image-root DIR</c> (repeatable), shared by <c>farm serve</c> and
/// <c>farm demo</c>: who may use the API, and where submitted images must lie. Checked at start:
/// a bad file or folder stops the process with exit 2, before it serves anyone.
/// </summary>
internal sealed class ApiAccessOptions
{
    public Option<string?> Auth { get; } = new("--auth")
    {
        Description = "Tokens and roles of the API's callers: {\"tokens\":[{\"name\":\"ops\",\"role\":\"operator\",\"token\":\"...\"}]} (or \"sha256\" of the token); without it only loopback clients are served",
    };

    public Option<string[]> ImageRoots { get; } = new("--image-root")
    {
        Description = "A folder submitted images must be in (repeatable); without it any absolute path the controller can read",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Auth);
        command.Options.Add(ImageRoots);
    }

    /// <summary>The API's options from the command line; <see cref="ArgumentException"/> says what is wrong.</summary>
    public FarmApiOptions Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new FarmApiOptions
        {
            Auth = result.GetValue(Auth) is { } file ? AuthTokens.Load(file) : null,
            ImageRoots = ImageRootsOf(result.GetValue(ImageRoots) ?? []),
        };
    }

    /// <summary>Each root an existing folder, as its real path (links resolved), so an image's real path can be compared with it.</summary>
    public static IReadOnlyList<string> ImageRootsOf(IReadOnlyList<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        return [.. roots.Select(root =>
        {
            if (string.IsNullOrWhiteSpace(root) || !Directory.Exists(root))
            {
                throw new ArgumentException($"--image-root '{root}' is not a folder; name an existing folder that holds the images to burn");
            }

            return RealPaths.Of(root);
        })];
    }
}
