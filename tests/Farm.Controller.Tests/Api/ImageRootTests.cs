using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Farm.Controller.Api;
using Farm.Messages.Protocol;

namespace Farm.Controller.Tests.Api;

/// <summary>POST /api/jobs with --image-root: an image must really be inside a root (no .., no link out of it).</summary>
public sealed class ImageRootTests : ApiSpec
{
    public ImageRootTests()
        : base("farm-api-roots")
    {
        Directory.CreateDirectory(Folder.PathOf("images"));
        Inside = WriteImage(Path.Combine("images", "inside.iso"), 10 * 2048);
        Outside = WriteImage("outside.iso", 10 * 2048);
    }

    private string Inside { get; }

    private string Outside { get; }

    protected override FarmApiOptions Options => new()
    {
        AskTimeout = TimeSpan.FromSeconds(1),
        ImageRoots = [RealPaths.Of(Folder.PathOf("images"))],
    };

    [Fact]
    public async Task An_image_inside_a_root_is_accepted()
    {
        using var response = await Api.Http.PostAsJsonAsync("/api/jobs", new { image = Inside });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(RealPaths.Of(Inside), Assert.IsType<SubmitJob>(Assert.Single(Controller.Commands)).Job.ImagePath);
    }

    public static TheoryData<string> Escapes => ["OUTSIDE", "ROOT/../outside.iso", "LINK", "ROOT/../missing.iso"];

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task An_image_outside_every_root_is_a_400_problem_naming_the_roots(string spelled)
    {
        var link = Folder.PathOf(Path.Combine("images", "escape.iso"));
        if (!File.Exists(link))
        {
            File.CreateSymbolicLink(link, Outside);
        }

        var image = spelled.Replace("OUTSIDE", Outside, StringComparison.Ordinal).Replace("ROOT", Folder.PathOf("images"), StringComparison.Ordinal).Replace("LINK", link, StringComparison.Ordinal);

        using var response = await Api.Http.PostAsJsonAsync("/api/jobs", new { image });

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        var detail = JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()!;
        Assert.Contains($"image '{image}' is outside the controller's image roots; images must be in {RealPaths.Of(Folder.PathOf("images"))}", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("does not exist", detail, StringComparison.Ordinal);
        Assert.Empty(Controller.Commands);
    }
}
