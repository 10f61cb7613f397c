using Remastered.Sessions.Schemas.Support;
using CsCheck;

namespace Remastered.Sessions.Tests;

public sealed class CompactListBuilderTests
{
    [Fact]
    public void Builds_lists_arrays_and_sets_of_exactly_the_items_added_across_buffer_growth()
        => Gen.String[0, 5].Null().List[0, 100].Sample(items =>
        {
            var builder = new CompactListBuilder<string?>();
            try
            {
                foreach (var item in items)
                {
                    builder.Add(item);
                }

                Assert.Equal(items.Count, builder.Count);
                var list = builder.ToList();
                Assert.Equal(items, list);
                Assert.Equal(items.Count, list.Capacity);
                Assert.Equal(items, builder.ToArray());
                Assert.True(new HashSet<string?>(items).SetEquals(builder.ToHashSet()));
            }
            finally
            {
                builder.Dispose();
            }

            Assert.Equal(0, builder.Count);
            builder.Dispose();
        }, iter: 300);
}
