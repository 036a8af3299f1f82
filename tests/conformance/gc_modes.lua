-- collectgarbage's options: the mode switches report the previous mode
-- (the lua5.4 command starts in generational mode), and collection keeps
-- everything reachable whatever the mode.
print(collectgarbage("incremental"))
print(collectgarbage("incremental"))
print(collectgarbage("generational"))
print(collectgarbage("generational"))
print(type(collectgarbage("count")), collectgarbage("isrunning"))
collectgarbage("stop")
print(collectgarbage("isrunning"))
collectgarbage("restart")
print(collectgarbage("isrunning"))
local keep = {}
for round = 1, 3 do
  for i = 1, 2000 do keep[i] = {round, tostring(i)} end
  collectgarbage(round == 2 and "incremental" or "generational")
  collectgarbage()
end
local sum = 0
for i = 1, 2000 do sum = sum + keep[i][1] + #keep[i][2] end
print(sum, collectgarbage("collect"))
