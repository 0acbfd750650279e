using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Farm.Controller.Api;
using Farm.Controller.Api.Auth;

namespace Farm.Controller.Tests.Api;

/// <summary>
/// The API with an --auth file: every route answers 401 without a token or with an unknown one,
/// 403 to a role below the one it needs, and does its work for that role and every higher one.
/// </summary>
public sealed class ApiAuthTests : ApiSpec
{
    private static readonly string[] Roles = [.. ApiRoles.All];

    public ApiAuthTests()
        : base("farm-api-auth")
    {
        Image = WriteImage("release.iso", 100 * 2048);
        Controller.Farm = SampleFarm.Build(Image);
    }

    private string Image { get; }

    protected override FarmApiOptions Options => new()
    {
        AskTimeout = TimeSpan.FromSeconds(1),
        Auth = AuthTokens.Parse(JsonSerializer.Serialize(new
        {
            tokens = Roles.Select(r => (object)new { name = $"{r}-user", role = r, token = $"{r}-token" })
                .Append(new { name = "hashed", role = "viewer", sha256 = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("secret-only-hashed"))) }),
        })),
    };

    /// <summary>Every route of the API, the lowest role that may use it, and what it answers that role.</summary>
    public static TheoryData<string, string, string, HttpStatusCode> Routes => new()
    {
        { "GET", "/api/whoami", ApiRoles.Viewer, HttpStatusCode.OK },
        { "GET", "/api/jobs", ApiRoles.Viewer, HttpStatusCode.OK },
        { "GET", $"/api/jobs/{SampleFarm.RunningJob}", ApiRoles.Viewer, HttpStatusCode.OK },
        { "GET", $"/api/jobs/{SampleFarm.RunningJob}/report", ApiRoles.Viewer, HttpStatusCode.OK },
        { "GET", $"/api/jobs/{SampleFarm.RunningJob}/manifest", ApiRoles.Viewer, HttpStatusCode.OK },
        { "GET", "/api/drives", ApiRoles.Viewer, HttpStatusCode.OK },
        { "GET", "/api/towers", ApiRoles.Viewer, HttpStatusCode.OK },
        { "GET", "/api/nodes", ApiRoles.Viewer, HttpStatusCode.OK },
        { "GET", "/api/alerts", ApiRoles.Viewer, HttpStatusCode.OK },
        { "GET", "/api/events", ApiRoles.Viewer, HttpStatusCode.OK },
        { "GET", "/api/status", ApiRoles.Viewer, HttpStatusCode.OK },
        { "POST", "/api/jobs", ApiRoles.Submitter, HttpStatusCode.Created },
        { "POST", $"/api/jobs/{SampleFarm.RunningJob}/hold", ApiRoles.Operator, HttpStatusCode.Accepted },
        { "POST", $"/api/jobs/{SampleFarm.HeldJob}/resume", ApiRoles.Operator, HttpStatusCode.Accepted },
        { "POST", $"/api/jobs/{SampleFarm.RunningJob}/cancel?abort=true", ApiRoles.Operator, HttpStatusCode.Accepted },
        { "POST", "/api/drives/T1-D1/pause", ApiRoles.Operator, HttpStatusCode.Accepted },
        { "POST", "/api/drives/T1-D1/resume", ApiRoles.Operator, HttpStatusCode.Accepted },
        { "POST", "/api/drives/T1-D1/maintenance", ApiRoles.Operator, HttpStatusCode.Accepted },
        { "POST", "/api/drives/T1-D2/clear", ApiRoles.Operator, HttpStatusCode.Accepted },
        { "POST", "/api/towers/T1/refilled", ApiRoles.Operator, HttpStatusCode.Accepted },
        { "POST", $"/api/alerts/{SampleFarm.Alert}/acknowledge", ApiRoles.Operator, HttpStatusCode.Accepted },
    };

    private HttpRequestMessage Request(string method, string path, string? token)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (method == "POST")
        {
            var body = path == "/api/jobs" ? JsonSerializer.Serialize(new { image = Image, copies = 1 }) : path.EndsWith("/refilled", StringComparison.Ordinal) ? """{"input": 50}""" : "";
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return request;
    }

    /// <summary>Headers only: the event streams never end.</summary>
    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? token) =>
        await Api.Http.SendAsync(Request(method, path, token), HttpCompletionOption.ResponseHeadersRead);

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Without_a_token_every_route_is_a_401_problem_asking_for_a_Bearer_token(string method, string path, string role, HttpStatusCode status)
    {
        _ = (role, status);
        using var response = await SendAsync(method, path, null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Authorization: Bearer TOKEN", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Controller.Commands);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task An_unknown_token_is_a_401_saying_the_token_is_not_known(string method, string path, string role, HttpStatusCode status)
    {
        _ = (role, status);
        using var response = await SendAsync(method, path, "not-a-token");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("error=\"invalid_token\"", response.Headers.WwwAuthenticate.Single().Parameter);
        Assert.Contains("not one of the controller's --auth file", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Controller.Commands);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_role_below_the_one_a_route_needs_is_a_403_naming_it_and_every_other_role_is_served(string method, string path, string needed, HttpStatusCode status)
    {
        foreach (var role in Roles)
        {
            Controller.Farm = SampleFarm.Build(Image); // each role acts on the same farm
            using var response = await SendAsync(method, path, $"{role}-token");
            var body = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? "" : await response.Content.ReadAsStringAsync();
            if (ApiRoles.Rank(role) < ApiRoles.Rank(needed))
            {
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role} {method} {path}: {(int)response.StatusCode} {body}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains($"'{role}-user' has the role {role}, and {method} {path.Split('?')[0]} needs the role {needed} or higher", body, StringComparison.Ordinal);
            }
            else
            {
                Assert.True(response.StatusCode == status, $"{role} {method} {path}: {(int)response.StatusCode} {body}");
            }
        }
    }

    [Fact]
    public async Task A_viewer_cannot_act_so_nothing_reaches_the_controller()
    {
        foreach (var (method, path) in new[] { ("POST", "/api/jobs"), ("POST", $"/api/jobs/{SampleFarm.RunningJob}/cancel"), ("POST", "/api/drives/T1-D1/pause"), ("POST", "/api/towers/T1/refilled"), ("POST", $"/api/alerts/{SampleFarm.Alert}/acknowledge") })
        {
            using var response = await SendAsync(method, path, "viewer-token");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.Empty(Controller.Commands);
    }

    [Theory]
    [InlineData("operator-token", "operator-user", "operator")]
    [InlineData("secret-only-hashed", "hashed", "viewer")]
    public async Task Whoami_names_the_token_and_its_role_given_as_itself_or_as_its_sha256(string token, string name, string role)
    {
        using var response = await SendAsync("GET", "/api/whoami", token);

        Assert.Equal(new WhoAmI(name, role), await response.Content.ReadFromJsonAsync<WhoAmI>());
    }

    [Fact]
    public async Task An_operator_action_is_recorded_under_the_token_name()
    {
        using var response = await SendAsync("POST", "/api/drives/T1-D1/pause", "operator-token");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var sent = Assert.IsType<Farm.Messages.Protocol.ControlDrive>(Assert.Single(Controller.Commands)).Command;
        Assert.Equal("operator operator-user", sent.By);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/openapi.json")]
    public async Task The_console_page_and_the_OpenAPI_document_need_no_token(string path)
    {
        using var response = await SendAsync("GET", path, null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_every_route_and_the_Bearer_scheme()
    {
        using var document = JsonDocument.Parse(await Api.Http.GetStringAsync("/openapi.json"));

        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Superset(
            new HashSet<string>(["/api/jobs", "/api/jobs/{id}", "/api/jobs/{id}/report", "/api/jobs/{id}/manifest", "/api/jobs/{id}/hold", "/api/drives", "/api/drives/{id}/pause", "/api/towers", "/api/towers/{id}/refilled", "/api/nodes", "/api/alerts", "/api/alerts/{id}/acknowledge", "/api/events", "/api/whoami"]),
            paths.ToHashSet());
        Assert.Equal("bearer", document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
    }
}
