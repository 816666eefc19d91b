from keras.layers import Lambda
print "legacy"
f = Lambda(lambda x: x)
