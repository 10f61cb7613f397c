using System;
using System.Text;

namespace Remastered.Sessions.Generator.Helpers
{
    /// <summary>An indented text writer for generated C#.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _builder = new();
        private int _indent;

        public SourceWriter WriteLine(string line = "")
        {
            if (line.Length > 0)
            {
                _builder.Append(' ', _indent * 4);
            }

            _builder.Append(line).Append('\n');
            return this;
        }

        public SourceWriter OpenBlock(string header)
        {
            WriteLine(header);
            WriteLine("{");
            _indent++;
            return this;
        }

        public SourceWriter CloseBlock(string suffix = "")
        {
            _indent--;
            return WriteLine("}" + suffix);
        }

        public SourceWriter Indent()
        {
            _indent++;
            return this;
        }

        public SourceWriter Unindent()
        {
            _indent = Math.Max(0, _indent - 1);
            return this;
        }

        public override string ToString() => _builder.ToString();
    }
}
