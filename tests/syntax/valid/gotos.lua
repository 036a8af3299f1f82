-- goto, labels and break in every position Lua 5.4 accepts.

-- continue
for i = 1, 10 do
  if i % 2 == 0 then goto continue end
  print(i)
  ::continue::
end

-- a label at the end of a block is outside the scope of the block's locals
do
  goto finish
  local x = 1
  print(x)
  ::finish::
end

-- ... also when followed by empty statements and further labels
while true do
  do
    goto out
    local y = 2
    print(y)
    ::out:: ; ; ::also_out::
  end
  break
end

-- backward jumps, including into a label of an enclosing block
do
  local n = 0
  ::again::
  n = n + 1
  if n < 3 then goto again end
  do
    do
      if n < 5 then n = n + 1; goto again end
    end
  end
end

-- the same label name in sibling blocks and in nested functions
do ::l:: end
do ::l:: end
local function f()
  ::l::
  local function g() ::l:: return 1 end
  return g
end

-- nested loops: break leaves the innermost one
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then break end
    while true do break end
    repeat break until true
  end
end

-- break as the last statement of a then-block, with semicolons after it
for i = 1, 3 do
  if i == 2 then break; ; end
end

-- a goto out of nested blocks and loops
for i = 1, 3 do
  while true do
    repeat
      if i == 3 then goto done end
    until true
    break
  end
end
::done::

-- goto to a label in an enclosing block, past a local of the inner block
do
  do
    local z = 1
    goto outer
  end
  ::outer::
end

-- repeat: the until expression sees the body's locals
local k = 0
repeat
  local stop = k >= 3
  k = k + 1
until stop

-- labels named like keywords of other languages, and like Coro words
::continue:: ::next:: ::redo::
goto last
::last::
