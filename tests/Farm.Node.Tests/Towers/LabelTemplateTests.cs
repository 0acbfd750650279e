using Farm.Node.Towers;

namespace Farm.Node.Tests.Towers;

public sealed class LabelTemplateTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 9, 23, 30, 0, TimeSpan.FromHours(-2));

    [Theory]
    [InlineData("{job} #{copy}", "J-7 #12")]
    [InlineData("{ JOB } on {drive} / {disc}", "J-7 on T1-D2 / T1-00042")]
    [InlineData("{date}", "2025-03-10")] // the UTC day
    [InlineData("{{literal}} {copy}", "{literal} 12")]
    [InlineData("no fields", "no fields")]
    public void Fields_are_merged(string template, string expected)
    {
        Assert.Null(LabelTemplate.Problem(template));
        Assert.Equal(expected, LabelTemplate.Merge(template, "J-7", 12, "T1-D2", "T1-00042", Now));
    }

    [Theory]
    [InlineData("{customer}", "unknown field {customer}; use {job} {copy} {date} {drive} {disc}")]
    [InlineData("{job", "has no closing '}'")]
    [InlineData("job}", "without its '{'")]
    public void A_bad_template_says_what_is_wrong(string template, string expected)
    {
        Assert.Contains(expected, LabelTemplate.Problem(template), StringComparison.Ordinal);
    }
}
