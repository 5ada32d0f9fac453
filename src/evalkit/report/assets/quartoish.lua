--[[
quartoish.lua - evalkit's pandoc filter for executed Jupyter notebooks.

Pandoc's ipynb reader keeps every cell as a Div and knows nothing of Quarto's conventions.
This filter makes an executed report notebook render the way `quarto render` would, so the
same notebook works with Quarto and without it:

  * front matter: the first raw cell holding `---` YAML becomes the document metadata;
    `format: {html: ..., typst: ...}` entries override the top level for that target;
  * cell options (`#|` lines) echo, include, output, warning, label, fig-cap, tbl-cap,
    with defaults from `execute:`; tags remove-cell / remove-input / remove-output /
    hide-input; the papermill `parameters` and `injected-parameters` cells are hidden;
  * one representation per output: text/markdown is parsed as Markdown (real headings,
    tables, figures); text/html tables are re-read as real tables; stderr is dropped unless
    `warning: true`;
  * numbered figures and tables (`#fig-x`, `#tbl-x`) with "Gambar"/"Table"... captions by
    `lang`, and `@fig-x` / `@tbl-x` cross-references (links in HTML, native refs in Typst);
  * nothing in an output can reach past the report: Markdown outputs are read without raw
    HTML, raw Typst/TeX or math; images must be the notebook's own (its outputs, or files in
    figures/), links go to anchors, the web or files in the report's folder, event-handler
    attributes are dropped. evalkit
    escapes user text before it becomes Markdown; this is the second line of defence for
    the built-in renderer (the self-contained HTML would otherwise embed any local file an
    image names).

Run with `-f ipynb+citations --ipynb-output=all`.
]]

local stringify = pandoc.utils.stringify
local ptype = pandoc.utils.type

local IS_HTML = FORMAT:match('html') ~= nil
local IS_TYPST = FORMAT:match('typst') ~= nil

local WORDS = {
  id = { fig = 'Gambar', tbl = 'Tabel', toc = 'Daftar Isi' },
  en = { fig = 'Figure', tbl = 'Table', toc = 'Contents' },
}

-- "Gambar 1" never breaks across lines (Typst's own references do the same)
local NBSP = '\u{00A0}'

-- cells hidden whatever their options say
local HIDDEN_TAGS = { ['parameters'] = true, ['injected-parameters'] = true, ['remove-cell'] = true }

-- notebook metadata that pandoc copies into the document but no template should see
-- The summary chapter ends with an empty div of this id: the table of contents goes there.
local SUMMARY_END = 'summary-end'
local NOTEBOOK_KEYS = { 'papermill', 'kernelspec', 'language_info', 'widgets', 'jupytext', 'toc-showcode' }
-- Quarto-only front-matter keys with no meaning for pandoc
local QUARTO_KEYS = { 'format', 'execute', 'jupyter', 'engine', 'embed-resources' }

local function warn(msg)
  if pandoc.log then
    pandoc.log.warn(msg)
  else
    io.stderr:write('[WARNING] ' .. msg .. '\n')
  end
end

local function has_class(el, name)
  return el.classes ~= nil and el.classes:includes(name)
end

-- Metadata --------------------------------------------------------------------------

-- Markdown as the report's outputs are read: no raw HTML, raw Typst/TeX or TeX math
local MARKDOWN_IN = 'markdown-raw_html-raw_attribute-raw_tex-tex_math_dollars'
  .. '-tex_math_single_backslash-tex_math_double_backslash'

local function yaml_meta(text)
  local ok, doc = pcall(pandoc.read, '---\n' .. text .. '\n---\n', MARKDOWN_IN)
  if not ok then
    warn('cannot parse YAML options: ' .. tostring(doc))
    return {}
  end
  return doc.meta
end

local function is_map(value)
  return value ~= nil and ptype(value) == 'table'
end

local function format_key()
  if IS_HTML then return 'html' end
  if IS_TYPST then return 'typst' end
  return FORMAT
end

--- Take the front matter out of the first raw cell; returns it and the remaining blocks.
local function split_front_matter(blocks)
  for i, block in ipairs(blocks) do
    local raw = nil
    if block.t == 'RawBlock' then
      raw = block
    elseif block.t == 'Div' and has_class(block, 'raw') and #block.content == 1
        and block.content[1].t == 'RawBlock' then
      raw = block.content[1]
    end
    if raw ~= nil then
      local text = raw.text:gsub('^%s+', '')
      local body = text:match('^%-%-%-%s*\n(.-)\n%-%-%-%s*$') or text:match('^%-%-%-%s*\n(.-)\n%.%.%.%s*$')
      if body ~= nil then
        local rest = pandoc.Blocks({})
        for j, other in ipairs(blocks) do
          if j ~= i then rest:insert(other) end
        end
        return yaml_meta(body), rest
      end
    end
    -- front matter must come before any content cell
    if block.t == 'Div' and not has_class(block, 'raw') then break end
  end
  return {}, blocks
end

local function apply_front_matter(meta, front)
  for _, key in ipairs(NOTEBOOK_KEYS) do meta[key] = nil end
  for key, value in pairs(front) do meta[key] = value end
  local formats = front.format
  if is_map(formats) and is_map(formats[format_key()]) then
    for key, value in pairs(formats[format_key()]) do meta[key] = value end
  end
  local defaults = is_map(front.execute) and front.execute or {}
  for _, key in ipairs(QUARTO_KEYS) do meta[key] = nil end
  return defaults
end

local function lang_words(meta)
  local lang = meta.lang and stringify(meta.lang) or 'en'
  return WORDS[lang:sub(1, 2)] or WORDS.en, lang
end

local function set_default(meta, key, value)
  if meta[key] == nil then meta[key] = value end
end

local function apply_target_defaults(meta, words, lang)
  if meta.title == nil then set_default(meta, 'pagetitle', 'Report') end
  set_default(meta, 'toc-title', words.toc)
  if IS_TYPST then
    -- A4 with a page number; typst names "Daftar Isi", "Gambar", "Tabel" from lang
    set_default(meta, 'papersize', 'a4')
    set_default(meta, 'page-numbering', '1')
    set_default(meta, 'margin', { x = '2.2cm', y = '2.4cm' })
    if lang:sub(1, 2) == 'id' then set_default(meta, 'region', 'ID') end
  end
end

-- Cell options -----------------------------------------------------------------------

--- Split `#|` option lines off the top of a code cell; returns options and the code left.
local function cell_options(code)
  local option_lines, code_lines = {}, {}
  local in_header = true
  for line in (code .. '\n'):gmatch('(.-)\r?\n') do
    if in_header and line:match('^#|') then
      table.insert(option_lines, (line:gsub('^#|%s?', '')))
    else
      in_header = false
      table.insert(code_lines, line)
    end
  end
  while #code_lines > 0 and code_lines[#code_lines]:match('^%s*$') do
    table.remove(code_lines)
  end
  local options = #option_lines > 0 and yaml_meta(table.concat(option_lines, '\n')) or {}
  return options, table.concat(code_lines, '\n')
end

local function truthy(value)
  if type(value) == 'boolean' then return value end
  local text = stringify(value):lower()
  return not (text == 'false' or text == 'no' or text == '0' or text == '')
end

local function make_option_reader(options, defaults)
  return function(name, fallback)
    if options[name] ~= nil then return truthy(options[name]) end
    if defaults[name] ~= nil then return truthy(defaults[name]) end
    return fallback
  end
end

local function cell_tags(div)
  local tags = {}
  local raw = div.attributes and div.attributes['tags']
  if raw ~= nil then
    for tag in raw:gmatch('"(.-)"') do tags[tag] = true end
  end
  return tags
end

-- Outputs ----------------------------------------------------------------------------

-- Safety -----------------------------------------------------------------------------

local FIGURE_SRC = '^figures/[%w][%w%._%-]*%.[%a]+$'
local LINK_TARGET = { '^#', '^https?://', '^mailto:' }
-- a file inside the report's own folder (artifacts/x.csv): letters, digits, . _ - and /
local OWN_FILE = '^[%w][%w%._%-/]*$'
local UNSAFE_ATTRIBUTE = { src = true, href = true, srcset = true, style = true,
  action = true, formaction = true, background = true, poster = true, ['xlink:href'] = true }

local function own_image(src)
  if src:match(FIGURE_SRC) and not src:match('%.%.') then return true end
  return pandoc.mediabag.lookup(src) ~= nil -- an image output of the notebook itself
end

local function safe_target(target)
  for _, pattern in ipairs(LINK_TARGET) do
    if target:match(pattern) then return true end
  end
  return target:match(OWN_FILE) ~= nil and not target:match('%.%.')
end

local function drop_unsafe_attributes(el)
  if el.attributes == nil then return nil end
  local unsafe = {}
  for key, _ in pairs(el.attributes) do
    local name = key:lower()
    if name:match('^on') or UNSAFE_ATTRIBUTE[name] then table.insert(unsafe, key) end
  end
  for _, key in ipairs(unsafe) do el.attributes[key] = nil end
  return #unsafe > 0 and el or nil
end

--- What an output may hold: no image from outside the report, no link to a script or a
--- local file, no raw markup, no event handlers. Refused parts are kept as their text.
local SANITIZE = {
  Image = function(image)
    if not own_image(image.src) then
      warn('image ' .. image.src .. ' is not one of the report\'s own; shown as text')
      return pandoc.Span(image.caption)
    end
    return drop_unsafe_attributes(image)
  end,
  Link = function(link)
    if not safe_target(link.target) then return pandoc.Span(link.content) end
    return drop_unsafe_attributes(link)
  end,
  RawInline = function(raw) return pandoc.Str(raw.text) end,
  RawBlock = function(raw) return pandoc.Para({ pandoc.Str(raw.text) }) end,
  Math = function(math) return pandoc.Str(math.text) end,
  Span = drop_unsafe_attributes,
  Div = drop_unsafe_attributes,
  Code = drop_unsafe_attributes,
  CodeBlock = drop_unsafe_attributes,
  Header = drop_unsafe_attributes,
  Table = drop_unsafe_attributes,
  Figure = drop_unsafe_attributes,
}

local function sanitize(blocks)
  return pandoc.Blocks(blocks):walk(SANITIZE)
end

local function read_markdown(text)
  return pandoc.read(text, MARKDOWN_IN).blocks
end

local function is_image_para(block)
  return (block.t == 'Para' or block.t == 'Plain') and #block.content == 1
      and block.content[1].t == 'Image'
end

--- Unwrap the DataFrame HTML: drop its <style>, wrapper divs, border and inline styles.
local function clean_html_blocks(blocks)
  local function drop_style(raw)
    if raw.format == 'html' and raw.text:match('^%s*<%/?style') then return {} end
  end
  blocks = blocks:walk({
    RawInline = drop_style,
    RawBlock = drop_style,
    Table = function(tbl)
      tbl.attr = pandoc.Attr('', tbl.classes)
      local head = tbl.head
      local rows = pandoc.List({})
      for _, row in ipairs(head.rows) do
        row.attr = pandoc.Attr()
        rows:insert(row)
      end
      head.rows = rows
      tbl.head = head
      return tbl
    end,
  })
  local out = pandoc.Blocks({})
  for _, block in ipairs(blocks) do
    if block.t == 'Div' then
      out:extend(clean_html_blocks(block.content))
    elseif not (block.t == 'Plain' and #block.content == 0) then
      out:insert(block)
    end
  end
  return out
end

local function read_html(text)
  return clean_html_blocks(pandoc.read(text, 'html').blocks)
end

--- Text output in a Div: a class on the CodeBlock itself would make pandoc look it up as a
--- highlighting language, which costs half a second per block. ANSI colours are dropped.
local function plain_output(text)
  text = text:gsub('\27%[[%d;]*[A-Za-z]', '')
  return pandoc.Div({ pandoc.CodeBlock(text) }, pandoc.Attr('', { 'cell-output' }))
end

local function code_text(blocks)
  local parts = {}
  for _, block in ipairs(blocks) do
    if block.t == 'CodeBlock' then table.insert(parts, block.text) end
  end
  return table.concat(parts, '\n')
end

--- Choose one representation of a display_data / execute_result output, as Quarto does.
local function pick_representation(blocks)
  local found = {}
  for _, block in ipairs(blocks) do
    if block.t == 'RawBlock' and block.format == 'markdown' then
      found.markdown = found.markdown or block
    elseif block.t == 'RawBlock' and block.format == 'html' then
      found.html = found.html or block
    elseif is_image_para(block) then
      found.image = found.image or block
    elseif block.t == 'CodeBlock' then
      found.plain = found.plain or block
    end
  end
  if found.markdown then return read_markdown(found.markdown.text) end
  local html_table = found.html and found.html.text:match('<table') ~= nil
  if IS_HTML then
    if html_table then return read_html(found.html.text) end
    if found.image then return pandoc.Blocks({ found.image }) end
    -- read, not passed through: raw HTML could hold scripts or name local files
    if found.html then return read_html(found.html.text) end
  else
    if found.image then return pandoc.Blocks({ found.image }) end
    if found.html then return read_html(found.html.text) end
  end
  if found.plain then return { plain_output(found.plain.text) } end
  return pandoc.Blocks({})
end

--- Blocks for one output Div; stderr (warnings, logs) only with `warning: true`, stdout
--- read as Markdown with `output: asis`.
local function output_blocks(div, option, asis)
  if has_class(div, 'stream') then
    if has_class(div, 'stderr') and not option('warning', false) then return {} end
    local text = code_text(div.content)
    if asis then return sanitize(read_markdown(text)) end
    return { plain_output(text) }
  end
  if has_class(div, 'error') then
    if not option('error', true) then return {} end
    return { plain_output(code_text(div.content)) }
  end
  return sanitize(pick_representation(div.content))
end

-- Labels and captions from cell options ----------------------------------------------

local function caption_of(options, key)
  local value = options[key]
  if value == nil then return nil end
  if ptype(value) == 'Inlines' then return pandoc.Inlines(value) end
  if ptype(value) == 'Blocks' then return pandoc.utils.blocks_to_inlines(value) end
  return pandoc.utils.blocks_to_inlines(read_markdown(stringify(value)))
end

local function label_figure(blocks, label, caption)
  for i, block in ipairs(blocks) do
    if block.t == 'Figure' then
      if label and block.identifier == '' then block.identifier = label end
      if caption then block.caption = pandoc.Caption({ pandoc.Plain(caption) }) end
      return true
    end
    if is_image_para(block) then
      local image = block.content[1]
      local long = caption and { pandoc.Plain(caption) } or {}
      blocks[i] = pandoc.Figure({ pandoc.Plain({ image }) }, pandoc.Caption(long),
        pandoc.Attr(label or ''))
      return true
    end
  end
  return false
end

local function label_table(blocks, label, caption)
  for _, block in ipairs(blocks) do
    if block.t == 'Table' then
      if label and block.identifier == '' then block.identifier = label end
      if caption then block.caption = pandoc.Caption({ pandoc.Plain(caption) }) end
      return true
    end
  end
  return false
end

local function apply_labels(blocks, options)
  local label = options.label and stringify(options.label) or nil
  local fig_cap = caption_of(options, 'fig-cap')
  local tbl_cap = caption_of(options, 'tbl-cap')
  local kind = label and label:match('^(%a+)%-') or nil
  if kind == 'tbl' or (kind == nil and tbl_cap) then
    if not label_table(blocks, label, tbl_cap) and label then
      warn('cell ' .. label .. ' has no table output to label')
    end
  elseif kind == 'fig' or fig_cap then
    if not label_figure(blocks, label, fig_cap) and label then
      warn('cell ' .. label .. ' has no image output to label')
    end
  end
end

-- Cells ------------------------------------------------------------------------------

local function code_cell(div, defaults)
  local tags = cell_tags(div)
  for tag in pairs(tags) do
    if HIDDEN_TAGS[tag] then return {} end
  end
  local source = div.content[1]
  local options, code = {}, ''
  if source ~= nil and source.t == 'CodeBlock' then
    options, code = cell_options(source.text)
  end
  local option = make_option_reader(options, defaults)
  if not option('include', true) then return {} end
  local blocks = pandoc.Blocks({})
  local echo = option('echo', true) and not tags['remove-input'] and not tags['hide-input']
  if echo and code ~= '' then
    blocks:insert(pandoc.CodeBlock(code, source.attr))
  end
  if tags['remove-output'] or not option('output', true) then return blocks end
  local asis = options.output ~= nil and stringify(options.output) == 'asis'
  local outputs = pandoc.Blocks({})
  for _, block in ipairs(div.content) do
    if block.t == 'Div' and has_class(block, 'output') then
      outputs:extend(output_blocks(block, option, asis))
    end
  end
  apply_labels(outputs, options)
  blocks:extend(outputs)
  return blocks
end

--- Flatten cells to plain blocks so headings reach the TOC and figures stay centred.
local function flatten_cells(blocks, defaults)
  local out = pandoc.Blocks({})
  for _, block in ipairs(blocks) do
    if block.t == 'Div' and has_class(block, 'cell') then
      if has_class(block, 'code') then
        out:extend(code_cell(block, defaults))
      else
        out:extend(block.content)
      end
    else
      out:insert(block)
    end
  end
  return out
end

-- Numbering and cross-references -----------------------------------------------------

local function prefix_caption(caption, word, number)
  local label = pandoc.Inlines({ pandoc.Str(word .. NBSP .. number) })
  local long = caption.long
  if #long == 0 or #stringify(long) == 0 then
    caption.long = pandoc.Blocks({ pandoc.Plain(label) })
  else
    local first = long[1]
    local content = pandoc.Inlines({})
    content:extend(label)
    content:extend({ pandoc.Str(':'), pandoc.Space() })
    content:extend(first.content)
    first.content = content
  end
  return caption
end

--- Number fig-/tbl- figures and tables in document order; returns id -> {kind, number}.
local function number_floats(blocks, words)
  local refs, counts = {}, { fig = 0, tbl = 0 }
  local function register(el, kind)
    local id = el.identifier
    if id == '' or id:match('^' .. kind .. '%-') == nil then return nil end
    if refs[id] ~= nil then
      warn('duplicate label ' .. id)
      return nil
    end
    counts[kind] = counts[kind] + 1
    refs[id] = { kind = kind, number = counts[kind] }
    if not IS_TYPST then
      el.caption = prefix_caption(el.caption, words[kind], counts[kind])
    end
    return el
  end
  blocks = blocks:walk({
    traverse = 'topdown',
    Figure = function(fig)
      local kind = fig.identifier:match('^tbl%-') and 'tbl' or 'fig'
      return register(fig, kind)
    end,
    Table = function(tbl) return register(tbl, 'tbl') end,
  })
  return blocks, refs
end

local function xref_inline(citation, ref, words)
  local suppress = citation.mode == 'SuppressAuthor'
  if IS_TYPST then
    local supplement = suppress and ', supplement: none' or ''
    return pandoc.RawInline('typst', '#ref(<' .. citation.id .. '>' .. supplement .. ')')
  end
  local text = suppress and tostring(ref.number) or (words[ref.kind] .. NBSP .. ref.number)
  return pandoc.Link(text, '#' .. citation.id, '', pandoc.Attr('', { 'quarto-xref' }))
end

local function resolve_citations(blocks, refs, words)
  return blocks:walk({
    Cite = function(cite)
      local out = pandoc.Inlines({})
      for i, citation in ipairs(cite.citations) do
        local id = citation.id
        if id:match('^Fig%-') or id:match('^Tbl%-') then
          citation.id = id:sub(1, 1):lower() .. id:sub(2)
        end
        local ref = refs[citation.id]
        if i > 1 then out:extend({ pandoc.Str(','), pandoc.Space() }) end
        if #citation.prefix > 0 then
          out:extend(citation.prefix)
          out:insert(pandoc.Space())
        end
        if ref ~= nil then
          out:insert(xref_inline(citation, ref, words))
        else
          if id:match('^[fFtT][ib][gl]%-') then warn('unresolved cross-reference @' .. id) end
          out:insert(pandoc.Strong(pandoc.Str('?@' .. id)))
        end
        if #citation.suffix > 0 then out:extend(citation.suffix) end
      end
      return out
    end,
  })
end

-- Target-specific finishing ----------------------------------------------------------

--- Make heading ids unique: Markdown outputs are read one by one, so "metode" can repeat.
local function unique_heading_ids(blocks)
  local seen = {}
  return blocks:walk({
    Header = function(header)
      local id = header.identifier
      if id == '' then return nil end
      local unique, n = id, 0
      while seen[unique] do
        n = n + 1
        unique = id .. '-' .. n
      end
      seen[unique] = true
      header.identifier = unique
      return header
    end,
  })
end

--- Typst: make the top heading level 1 so the outline and PDF bookmarks start there.
--- Returns the blocks and by how many levels they moved.
local function lift_headings(blocks)
  local top = 99
  blocks:walk({ Header = function(h) top = math.min(top, h.level) end })
  if top <= 1 or top == 99 then return blocks, 0 end
  local shift = top - 1
  blocks = blocks:walk({
    Header = function(h)
      h.level = h.level - shift
      return h
    end,
  })
  return blocks, shift
end

--- Typst: the outline is written here rather than by the template, so that `toc-depth`
--- (counted in the notebook's heading levels, as for HTML) follows the lifted headings.
local function typst_outline(meta, shift)
  local wanted = meta.toc ~= nil and truthy(meta.toc)
  local depth = tonumber(meta['toc-depth'] and stringify(meta['toc-depth']) or '3') or 3
  meta.toc = nil
  if not wanted then return nil end
  depth = math.max(1, depth - shift)
  return pandoc.RawBlock('typst', string.format('#outline(title: auto, depth: %d)', depth))
end

--- Typst: the one-page summary stays on the title page; the outline follows on a page of
--- its own (at the very start when the report has no summary).
local function place_after_summary(blocks, outline)
  for i, block in ipairs(blocks) do
    if block.t == 'Div' and block.identifier == SUMMARY_END then
      local replacement = pandoc.Blocks({ pandoc.RawBlock('typst', '#pagebreak(weak: true)') })
      if outline ~= nil then replacement:insert(outline) end
      blocks:remove(i)
      for j = #replacement, 1, -1 do blocks:insert(i, replacement[j]) end
      return blocks
    end
  end
  if outline ~= nil then blocks:insert(1, outline) end
  return blocks
end

--- Typst numbers every figure; keep unlabelled ones unnumbered as Quarto (and the HTML) do.
local function unnumbered_typst_floats(blocks)
  local function scoped(el)
    if el.identifier ~= '' then return nil end
    return {
      pandoc.RawBlock('typst', '#[#set figure(numbering: none)'),
      el,
      pandoc.RawBlock('typst', ']'),
    }
  end
  return blocks:walk({ Figure = scoped, Table = scoped })
end

--- CSS width of a PNG from its pixel width and pHYs density (nil when it has none).
local function png_css_width(src)
  local _, contents = pandoc.mediabag.lookup(src)
  if contents == nil then
    local ok, _, fetched = pcall(pandoc.mediabag.fetch, src)
    contents = ok and fetched or nil
  end
  if contents == nil or contents:sub(1, 8) ~= '\137PNG\r\n\26\n' then return nil end
  local function u32(pos)
    local a, b, c, d = contents:byte(pos, pos + 3)
    return ((a * 256 + b) * 256 + c) * 256 + d
  end
  local pos = 9
  while pos + 12 <= #contents do
    local length, kind = u32(pos), contents:sub(pos + 4, pos + 7)
    if kind == 'pHYs' then
      local per_metre, unit = u32(pos + 8), contents:byte(pos + 16)
      if unit ~= 1 or per_metre == 0 then return nil end
      return u32(17) * 96 / (per_metre * 0.0254)
    end
    if kind == 'IDAT' then return nil end
    pos = pos + 12 + length
  end
  return nil
end

--- HTML: show PNGs at the size the plot was made for (figsize), as the PDF does, not at
--- their pixel size; CSS max-width still shrinks them on narrow screens.
local function size_images_for_html(blocks)
  return blocks:walk({
    Image = function(image)
      if image.attributes.width ~= nil or image.attributes.height ~= nil then return nil end
      local width = png_css_width(image.src)
      if width == nil then return nil end
      image.attributes.width = string.format('%dpx', math.floor(width + 0.5))
      return image
    end,
  })
end

--- Tables: automatic column widths (pipe tables from to_markdown() get widths from the
--- length of their dash lines, which squeezes short columns), and right-aligned numbers
--- in columns that declare no alignment (DataFrames re-read from HTML).
local function normalise_tables(blocks)
  local function numeric(text)
    text = text:gsub('[%s,%%]', '')
    return text ~= '' and tonumber(text) ~= nil
  end
  local function column_is_numeric(tbl, col)
    local any = false
    for _, body in ipairs(tbl.bodies) do
      for _, row in ipairs(body.body) do
        local cell = row.cells[col]
        local text = cell ~= nil and stringify(cell.contents) or ''
        if text ~= '' then
          if not numeric(text) then return false end
          any = true
        end
      end
    end
    return any
  end
  return blocks:walk({
    Table = function(tbl)
      local specs = pandoc.List({})
      for col, spec in ipairs(tbl.colspecs) do
        local align = spec[1]
        if align == 'AlignDefault' and column_is_numeric(tbl, col) then align = 'AlignRight' end
        specs:insert({ align })
      end
      tbl.colspecs = specs
      return tbl
    end,
  })
end

--- HTML: a table's caption stays outside the box that scrolls sideways on a phone (the caption
--- is a block of its own above a scrolling wrapper; the table's id moves to the whole), and a
--- figure opens full size: its image links to an overlay (CSS :target, no script) that shows
--- it at its pixel size, scrollable, with a link back.
local function phone_friendly(blocks)
  return blocks:walk({
    Table = function(tbl)
      if #tbl.caption.long == 0 then
        return pandoc.Div({ tbl }, pandoc.Attr('', { 'table-scroll' }))
      end
      local caption = pandoc.Div(tbl.caption.long, pandoc.Attr('', { 'table-caption' }))
      local id = tbl.attr.identifier
      tbl.attr = pandoc.Attr('', tbl.attr.classes, tbl.attr.attributes)
      tbl.caption = { long = pandoc.Blocks({}), short = nil }
      local scroll = pandoc.Div({ tbl }, pandoc.Attr('', { 'table-scroll' }))  -- a copy: last
      return pandoc.Div({ caption, scroll }, pandoc.Attr(id, { 'table-float' }))
    end,
    Figure = function(fig)
      if fig.identifier == '' then return nil end
      local zoom = 'zoom-' .. fig.identifier
      local found = false
      fig.content = fig.content:walk({
        Image = function(image)
          if found then return nil end
          found = true
          local open = pandoc.Link({ image }, '#' .. zoom, '', pandoc.Attr('', { 'figure-open' }))
          local close = pandoc.Link({ pandoc.Str('×') }, '#' .. fig.identifier, '',
            pandoc.Attr('', { 'zoom-close' }))
          return pandoc.Span({ open, close }, pandoc.Attr(zoom, { 'zoom' }))
        end,
      })
      return fig
    end,
  })
end

function Pandoc(doc)
  local front, blocks = split_front_matter(doc.blocks)
  local defaults = apply_front_matter(doc.meta, front)
  doc.meta = pandoc.Pandoc({}, doc.meta):walk(SANITIZE).meta
  local words, lang = lang_words(doc.meta)
  apply_target_defaults(doc.meta, words, lang)

  blocks = flatten_cells(blocks, defaults)
  blocks = normalise_tables(blocks)
  local refs
  blocks, refs = number_floats(blocks, words)
  blocks = resolve_citations(blocks, refs, words)
  blocks = unique_heading_ids(blocks)
  if IS_HTML then blocks = phone_friendly(size_images_for_html(blocks)) end
  if IS_TYPST then
    local shift
    blocks, shift = lift_headings(blocks)
    blocks = unnumbered_typst_floats(blocks)
    local outline = typst_outline(doc.meta, shift)
    blocks = place_after_summary(blocks, outline)
    if doc.meta['number-sections'] ~= nil and truthy(doc.meta['number-sections']) then
      set_default(doc.meta, 'section-numbering', '1.1.1')
    end
  end
  doc.blocks = blocks
  return doc
end
