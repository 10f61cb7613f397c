using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Remastered.Sessions.CodeFixes
{
    /// <summary>
    /// The shape shared by every fix here: find the declaration of type <typeparamref name="TNode"/> at the diagnostic
    /// and offer one action that rewrites the document. Fix-all goes through the batch fixer unless a fix says otherwise.
    /// </summary>
    /// <typeparam name="TNode">The declaration the fix rewrites.</typeparam>
    public abstract class NodeCodeFix<TNode> : CodeFixProvider
        where TNode : SyntaxNode
    {
        private readonly string _title;

        /// <summary>Creates the fix.</summary>
        /// <param name="diagnosticId">The diagnostic it fixes.</param>
        /// <param name="title">The action's title in the light bulb.</param>
        protected NodeCodeFix(string diagnosticId, string title)
        {
            FixableDiagnosticIds = ImmutableArray.Create(diagnosticId);
            _title = title;
        }

        /// <inheritdoc />
        public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var node = root?.FindToken(context.Span.Start).Parent?.AncestorsAndSelf().OfType<TNode>().FirstOrDefault();
            if (root is null || node is null || !CanFix(node))
            {
                return;
            }

            context.RegisterCodeFix(
                CodeAction.Create(_title, cancellationToken => FixAsync(context.Document, root, node, cancellationToken), equivalenceKey: GetType().Name),
                context.Diagnostics);
        }

        /// <summary>Whether this node can be fixed (by default, always).</summary>
        /// <param name="node">The declaration at the diagnostic.</param>
        protected virtual bool CanFix(TNode node) => true;

        /// <summary>Returns the fixed document.</summary>
        /// <param name="document">The document.</param>
        /// <param name="root">Its syntax root.</param>
        /// <param name="node">The declaration at the diagnostic.</param>
        /// <param name="cancellationToken">Cancels the fix.</param>
        protected abstract Task<Document> FixAsync(Document document, SyntaxNode root, TNode node, CancellationToken cancellationToken);
    }
}
