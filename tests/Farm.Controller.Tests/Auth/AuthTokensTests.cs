using System.Security.Cryptography;
using System.Text;
using Farm.Controller.Api.Auth;
using Farm.Testing;

namespace Farm.Controller.Tests.Auth;

/// <summary>The --auth file: tokens or their sha256, each with a role; every mistake named.</summary>
public sealed class AuthTokensTests
{
    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant();

    [Fact]
    public void A_token_is_found_whether_the_file_holds_it_or_its_sha256()
    {
        var tokens = AuthTokens.Parse($$"""{"tokens":[{"name":"ops","role":"operator","token":"t-1"},{"name":"ci","role":"submitter","sha256":"{{Hash("t-2")}}"}]}""");

        Assert.Equal(("ops", "operator"), (tokens.Find("t-1")!.Name, tokens.Find("t-1")!.Role));
        Assert.Equal(("ci", "submitter"), (tokens.Find("t-2")!.Name, tokens.Find("t-2")!.Role));
        Assert.Null(tokens.Find("t-3"));
        Assert.Null(tokens.Find(Hash("t-2")));
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "{", "not valid JSON" },
        { """{"users":[]}""", "the file must be {\"tokens\":[" },
        { """{"tokens":[]}""", "it lists no tokens" },
        { """{"tokens":[{"name":"a","role":"root","token":"x"}]}""", "tokens[0] ('a') has role 'root'; the roles are viewer, submitter, operator, admin" },
        { """{"tokens":[{"name":"a","role":"viewer"}]}""", "needs exactly one of \"token\"" },
        { """{"tokens":[{"name":"a","role":"viewer","token":"x","sha256":"ab"}]}""", "needs exactly one of \"token\"" },
        { """{"tokens":[{"name":"a","role":"viewer","sha256":"xyz"}]}""", "has sha256 'xyz', which is not 64 hex digits" },
        { """{"tokens":[{"role":"viewer","token":"x"}]}""", "tokens[0] needs a \"name\"" },
        { """{"tokens":[{"name":"a","role":"viewer","token":"x","expires":"never"}]}""", "unknown field 'expires'" },
        { """{"tokens":[{"name":"a","role":"viewer","token":"x"},{"name":"b","role":"admin","token":"x"}]}""", "tokens 'a' and 'b' are the same token" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_file_says_what_is_wrong(string json, string says)
    {
        var bad = Assert.Throws<ArgumentException>(() => AuthTokens.Parse(json));

        Assert.Contains(says, bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        using var folder = new TempDirectory("auth-file");
        var path = folder.PathOf("nope.json");

        var bad = Assert.Throws<ArgumentException>(() => AuthTokens.Load(path));

        Assert.StartsWith($"--auth {path}: cannot read it", bad.Message, StringComparison.Ordinal);
    }
}
